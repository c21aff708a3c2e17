// Platform administration (issue 2): tokens, counter registration, administrations, operators.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, mailbox, registerCitizen, startTestApp, type TestApp } from '../helpers/app.ts';

describe('platform administration', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  const adminPost = (url: string, payload: object, token = adminToken) =>
    t.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}` } });

  test('no token → 401, a token of another role → 403', async () => {
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/admin/administrations', payload: { code: 'X', name: 'X' } });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'unauthenticated');
    const created = await adminPost('/api/v1/admin/administrations', { code: 'NOIPA', name: 'NoiPA' });
    assert.equal(created.statusCode, 201);
    const administration = created.json();
    assert.equal(administration.code, 'NOIPA');
    assert.ok(administration.apiToken.length >= 43);
    const wrongRole = await adminPost('/api/v1/admin/operators', { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'A', lastName: 'B', email: 'a@b.it' }, administration.apiToken);
    assert.equal(wrongRole.statusCode, 403);
    assert.equal(wrongRole.json().code, 'forbidden');
  });

  test('an operator gets an API token', async () => {
    const created = await adminPost('/api/v1/admin/operators', { codiceFiscale: 'VRDLGU80A01F205T', firstName: 'Luigi', lastName: 'Verdi', email: 'luigi@example.it' });
    assert.equal(created.statusCode, 201);
    assert.ok(created.json().id);
    assert.ok(created.json().apiToken.length >= 43);
  });

  test('a generated temporary password is emailed on its own line and works once changed', async () => {
    const created = await registerCitizen(t.app, { codiceFiscale: 'MRTMTT91D08F205J', email: 'matteo@example.it', mobile: '333 123 4567' });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(created.json(), { codiceFiscale: 'MRTMTT91D08F205J' });
    const [mail] = (await mailbox(t.app, 'matteo@example.it')).filter((m) => m.kind === 'temporary_password');
    assert.ok(mail, 'temporary_password email');
    const password = /:\n(\S+)\n/.exec(mail.text)?.[1];
    assert.ok(password, mail.text);
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'MRTMTT91D08F205J', password } });
    assert.equal(signedIn.statusCode, 200);
    assert.deepEqual(signedIn.json().requiredActions, ['change_password']);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `varco_session=${signedIn.cookies[0]!.value}` } });
    assert.equal(me.json().mobile, '+393331234567', 'mobile normalised to E.164');
    assert.equal(me.json().password.set, true);
  });

  test('an existing codice fiscale → 409 account_exists', async () => {
    const again = await registerCitizen(t.app, { codiceFiscale: 'mrtmtt91d08f205j', temporaryPassword: 'Provvisoria-2026' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'account_exists');
  });

  test('without email a temporary password must be handed over', async () => {
    const response = await registerCitizen(t.app, { codiceFiscale: 'BNCGLI90C55H501W' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'invalid_request');
  });
});
