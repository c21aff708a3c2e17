// S20, S24, S25 and production hardening, seen from outside.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { registerCitizen, startTestApp, type TestApp } from '../helpers/app.ts';
import { productionEnv } from '../helpers/production.ts';

describe('S24 CSRF on forms', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await registerCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', temporaryPassword: 'Provvisoria-2026' });
  });
  after(() => t.close());

  const form = { method: 'password', codiceFiscale: 'RSSMRA85T10A562S', password: 'Provvisoria-2026' };

  test('a cross-site form post without the token is refused', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/signin', payload: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(response.statusCode, 403);
    assert.equal(response.cookies.find((c) => c.name === 'varco_session'), undefined, 'no session was opened');
  });

  test('the same post with the token of the page goes through', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/signin' });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(token);
    const secret = page.cookies.find((c) => c.name === 'varco_csrf');
    assert.ok(secret?.httpOnly);
    const response = await t.app.inject({ method: 'POST', url: '/signin', payload: new URLSearchParams({ ...form, _csrf: token }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `varco_csrf=${secret.value}` } });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/area/password', 'a temporary password goes straight to its change');
  });

  test('nothing changes state on GET: sign-out by GET does not exist', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/signout' })).statusCode, 404);
  });
});

describe('production', () => {
  const production = productionEnv;

  test('refuses to start without its settings, naming what is missing', () => {
    assert.throws(() => loadConfig({ VARCO_ENV: 'production' }), (error: unknown) =>
      error instanceof ConfigError && /PUBLIC_URL/.test(error.message) && /SESSION_SECRET/.test(error.message));
    assert.throws(() => loadConfig({ ...production, PUBLIC_URL: 'http://varco.example.it' }), ConfigError);
    assert.doesNotThrow(() => loadConfig(production));
  });

  test('the development mailbox answers 404; cookies are __Host- and Secure; HSTS is on (S20, S25)', async () => {
    const t = await startTestApp(production);
    try {
      assert.equal((await t.app.inject({ method: 'GET', url: '/dev/outbox?to=x' })).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'GET', url: '/dev/outbox' })).statusCode, 404);
      await registerCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', temporaryPassword: 'Provvisoria-2026' });
      const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password: 'Provvisoria-2026' } });
      const cookie = String(signIn.headers['set-cookie']);
      assert.match(cookie, /^__Host-varco_session=/);
      assert.match(cookie, /Secure/);
      assert.doesNotMatch(cookie, /Domain=/i);
      const page = await t.app.inject({ method: 'GET', url: '/signin' });
      assert.match(String(page.headers['strict-transport-security']), /max-age=31536000; includeSubDomains/);
    } finally {
      await t.close();
    }
  });
});
