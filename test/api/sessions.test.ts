// Session lifecycle (S19–S22): fresh ids, logout, idle and absolute timeouts, password change.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';

const cf = 'RSSMRA85T10A562S';
const password = 'Provvisoria-2026';
const strong = 'Tramonto-Viola!Sul-Po7';

describe('sessions', () => {
  let t: TestApp;
  const signIn = (secret = strong) =>
    t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password: secret } });
  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });

  before(async () => {
    t = await startTestApp();
    await registerCitizen(t.app, { codiceFiscale: cf, email: 'anna@example.it', temporaryPassword: password });
    const first = await signIn(password);
    await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: sessionCookieOf(first) },
      payload: { currentPassword: password, newPassword: strong } });
  });
  after(() => t.close());

  test('every sign-in gets a new, long, opaque session id', async () => {
    const a = sessionCookieOf(await signIn());
    const b = sessionCookieOf(await signIn());
    assert.notEqual(a, b);
    assert.ok(a.split('=')[1]!.length >= 43, '≥ 256 bits in base64url');
    assert.equal((await me(a)).statusCode, 200);
  });

  test('without a session /me answers 401 unauthenticated', async () => {
    const response = await me('varco_session=made-up');
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().code, 'unauthenticated');
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
  });

  test('logout destroys the server-side session', async () => {
    const cookie = sessionCookieOf(await signIn());
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } })).statusCode, 204);
    assert.equal((await me(cookie)).statusCode, 401);
  });

  test('a session idle for more than 30 minutes is over', async () => {
    const cookie = sessionCookieOf(await signIn());
    t.clock.advance(29 * 60);
    assert.equal((await me(cookie)).statusCode, 200);
    t.clock.advance(29 * 60);
    assert.equal((await me(cookie)).statusCode, 200, 'activity keeps it alive');
    t.clock.advance(31 * 60);
    assert.equal((await me(cookie)).statusCode, 401);
  });

  test('no session outlives 12 hours, however active', async () => {
    const cookie = sessionCookieOf(await signIn());
    for (let i = 0; i < 25; i++) {
      t.clock.advance(29 * 60);
      if (i < 24) assert.equal((await me(cookie)).statusCode, 200, `after ${(i + 1) * 29} minutes`);
    }
    assert.equal((await me(cookie)).statusCode, 401);
  });

  test('a password change ends every other session but the one that made it', async () => {
    const other = sessionCookieOf(await signIn());
    const current = sessionCookieOf(await signIn());
    const changed = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: current },
      payload: { currentPassword: strong, newPassword: 'Girasole#Lago-Blu42' } });
    assert.equal(changed.statusCode, 204);
    assert.equal((await me(other)).statusCode, 401);
    // It goes on under a new id (S19: a credential change is a privilege change).
    assert.equal((await me(current)).statusCode, 401, 'the old id of the acting session is gone');
    assert.equal((await me(sessionCookieOf(changed))).statusCode, 200);
  });

  test('a wrong current password is refused and counts toward the lockout (S13)', async () => {
    const cookie = sessionCookieOf(await signIn('Girasole#Lago-Blu42'));
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie },
      payload: { currentPassword: 'Sbagliata-1!', newPassword: 'Nuvola@Rosa-Vento9' } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().code, 'invalid_credentials');
    const activity = await t.app.inject({ method: 'GET', url: '/api/v1/me/activity', headers: { cookie } });
    assert.equal(activity.json().events[0].type, 'sign_in_failed');
  });
});
