// Contact changes (issue 12): a new email, mobile or PEC takes effect only after the code sent
// to the new channel is confirmed; the old address is told.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { activateCitizen, mailbox, sessionCookieOf, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { latestCode } from '../../../test/helpers/first-access.ts';

const citizen = { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', mobile: '3331234567', password: 'Tramonto-Viola!Sul-Po7' };

describe('contact changes', () => {
  let t: TestApp;
  let cookie: string;
  const put = (payload: object) => t.app.inject({ method: 'PUT', url: '/api/v1/me/contacts', headers: { cookie }, payload });
  const confirm = (contact: string, code: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/me/contacts/confirm', headers: { cookie }, payload: { contact, code } });
  const me = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json();

  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, citizen);
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: citizen.codiceFiscale, password: citizen.password } });
    cookie = sessionCookieOf(signedIn);
  });
  after(() => t.close());

  test('without the code nothing changes; the code goes to the new address only', async () => {
    const response = await put({ email: 'Mario.Nuovo@Example.it' });
    assert.equal(response.statusCode, 202, response.body);
    assert.deepEqual(response.json().awaitingCode, ['email']);
    assert.equal((await me()).email, citizen.email, 'the old email stays until the code is confirmed');
    assert.equal((await mailbox(t.app, 'mario.nuovo@example.it')).filter((m) => m.kind === 'contact_verification_code').length, 1);
    assert.equal((await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'contact_verification_code').length, 0);
    const wrong = await confirm('email', '000000' === (await latestCode(t.app, 'mario.nuovo@example.it')) ? '000001' : '000000');
    assert.equal(wrong.statusCode, 400);
    assert.equal((await me()).email, citizen.email, 'a wrong code changes nothing');
  });

  test('with the code the new email takes effect, verified, and the old address is told', async () => {
    const code = await latestCode(t.app, 'mario.nuovo@example.it');
    assert.equal((await confirm('mobile', code)).statusCode, 400, 'an email code does not confirm a mobile');
    assert.equal((await confirm('email', code)).statusCode, 204);
    const account = await me();
    assert.deepEqual([account.email, account.emailVerified], ['mario.nuovo@example.it', true]);
    const told = (await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'contact_changed');
    assert.equal(told.length, 1);
    assert.equal((await confirm('email', code)).statusCode, 400, 'single use');
  });

  test('a new mobile by SMS code; the registered email is told', async () => {
    assert.equal((await put({ mobile: '+39 347 000 1111' })).statusCode, 202);
    assert.equal((await me()).mobile, '+393331234567');
    const sms = (await mailbox(t.app, '+393470001111')).at(-1);
    assert.equal(sms?.channel, 'sms');
    assert.equal((await confirm('mobile', await latestCode(t.app, '+393470001111'))).statusCode, 204);
    assert.deepEqual([(await me()).mobile, (await me()).mobileVerified], ['+393470001111', true]);
    assert.ok((await mailbox(t.app, 'mario.nuovo@example.it')).some((m) => m.kind === 'contact_changed'));
  });

  test('a PEC is proved through the PEC channel', async () => {
    assert.equal((await put({ pec: 'mario@pec.example.it' })).statusCode, 202);
    const pecMail = (await mailbox(t.app, 'mario@pec.example.it')).at(-1);
    assert.equal(pecMail?.channel, 'pec');
    assert.equal((await confirm('pec', await latestCode(t.app, 'mario@pec.example.it'))).statusCode, 204);
    assert.equal((await me()).pec, 'mario@pec.example.it');
  });

  test('bad input → 400; an empty change → 400; unchanged values send nothing', async () => {
    assert.equal((await put({ email: 'not-an-email' })).statusCode, 400);
    assert.equal((await put({ mobile: '12' })).statusCode, 400);
    assert.equal((await put({})).statusCode, 400);
    assert.equal((await put({ phone: '3331234567' })).statusCode, 400);
    const same = await put({ email: 'mario.nuovo@example.it' });
    assert.deepEqual(same.json().awaitingCode, []);
  });

  test('while a completion step is pending, contacts cannot be changed', async () => {
    await t.deps.db.query(`UPDATE accounts SET pending_actions = '{verify_email}'`);
    const response = await put({ email: 'altro@example.it' });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().code, 'action_required');
    await t.deps.db.query(`UPDATE accounts SET pending_actions = '{}'`);
  });
});
