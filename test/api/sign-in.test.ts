// Sign-in, lockout, expiry and required actions through the HTTP API (issue 2, S1, S3, S15, S23).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mailbox, registerCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';

const cf = 'RSSMRA85T10A562S';
const unknownCf = 'BNCGLI90C55H501W';
const temporary = 'Provvisoria-2026';
const strong = 'Tramonto-Viola!Sul-Po7';

async function signIn(t: TestApp, codiceFiscale: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale, password } });
}

async function activate(t: TestApp, codiceFiscale: string, email: string): Promise<void> {
  const created = await registerCitizen(t.app, { codiceFiscale, email, temporaryPassword: temporary });
  assert.equal(created.statusCode, 201, created.body);
  const first = await signIn(t, codiceFiscale, temporary);
  const changed = await t.app.inject({
    method: 'POST', url: '/api/v1/me/password', headers: { cookie: sessionCookieOf(first) },
    payload: { currentPassword: temporary, newPassword: strong },
  });
  assert.equal(changed.statusCode, 204, changed.body);
}

describe('sign-in with a temporary password', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  test('a counter registration signs in only to change the password, then everything opens', async () => {
    assert.equal((await registerCitizen(t.app, { codiceFiscale: cf, email: 'anna@example.it', temporaryPassword: temporary })).statusCode, 201);
    const first = await signIn(t, ' rssmra85t10a562s ', temporary);
    assert.equal(first.statusCode, 200);
    assert.deepEqual(first.json(), { codiceFiscale: cf, requiredActions: ['change_password'] });
    const cookie = sessionCookieOf(first);
    const setCookie = String(first.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    assert.equal(me.statusCode, 200);
    assert.deepEqual(me.json().requiredActions, ['change_password']);
    const blocked = await t.app.inject({ method: 'GET', url: '/api/v1/me/activity', headers: { cookie } });
    assert.equal(blocked.statusCode, 403);
    assert.equal(blocked.json().code, 'action_required');
    assert.deepEqual(blocked.json().requiredActions, ['change_password']);

    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie },
      payload: { currentPassword: temporary, newPassword: 'password' } });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().code, 'weak_password');
    assert.ok(weak.json().reasons.includes('missing_uppercase'));

    const reused = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie },
      payload: { currentPassword: temporary, newPassword: temporary } });
    assert.equal(reused.statusCode, 400);
    assert.ok(reused.json().reasons.includes('reused'));

    const changed = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie },
      payload: { currentPassword: temporary, newPassword: strong } });
    assert.equal(changed.statusCode, 204);
    const notices = (await mailbox(t.app, 'anna@example.it')).filter((m) => m.kind === 'credential_changed');
    assert.equal(notices.length, 1);

    assert.equal((await signIn(t, cf, temporary)).statusCode, 401, 'the temporary password is gone');
    const second = await signIn(t, cf, strong);
    assert.deepEqual(second.json().requiredActions, []);
    const activity = await t.app.inject({ method: 'GET', url: '/api/v1/me/activity', headers: { cookie: sessionCookieOf(second) } });
    assert.equal(activity.statusCode, 200);
    const types = activity.json().events.map((e: { type: string }) => e.type);
    assert.equal(types[0], 'sign_in', 'newest first');
    assert.ok(types.includes('password_changed'));
    assert.ok(types.includes('sign_in_failed'));
  });

  test('a temporary password older than 72 hours no longer signs in', async () => {
    const other = 'VRDLGU80A01F205T';
    assert.equal((await registerCitizen(t.app, { codiceFiscale: other, temporaryPassword: temporary })).statusCode, 201);
    t.clock.advance(72 * 3600 + 1);
    assert.equal((await signIn(t, other, temporary)).statusCode, 401);
  });
});

describe('wrong secrets and lockout', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ LOCKOUT_THRESHOLD: '5', LOCKOUT_SECONDS: '900' });
    await activate(t, cf, 'anna@example.it');
  });
  after(() => t.close());

  test('an unknown account and a wrong password answer identically (S1)', async () => {
    const wrong = await signIn(t, cf, 'Sbagliata-123!');
    const unknown = await signIn(t, unknownCf, 'Sbagliata-123!');
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.body, unknown.body);
    assert.equal(wrong.json().code, 'invalid_credentials');
    const strip = (h: Record<string, unknown>) => Object.keys(h).filter((k) => k !== 'date').sort();
    assert.deepEqual(strip(wrong.headers), strip(unknown.headers));
    assert.equal(wrong.headers['set-cookie'], unknown.headers['set-cookie']);
    await signIn(t, cf, strong); // reset the count for the next test
  });

  test('five wrong passwords lock the account; the right one is refused until the lock ends', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await signIn(t, cf, `Sbagliata-${i}!A`)).statusCode, 401);
    const locked = await signIn(t, cf, strong);
    assert.equal(locked.statusCode, 423);
    assert.equal(locked.json().code, 'account_locked');
    assert.ok(locked.json().retryAfter > 0 && locked.json().retryAfter <= 900);
    assert.equal(locked.headers['retry-after'], String(locked.json().retryAfter));
    assert.ok((await mailbox(t.app, 'anna@example.it')).some((m) => m.kind === 'account_locked'), 'the user is told (S15)');
    t.clock.advance(901);
    assert.equal((await signIn(t, cf, strong)).statusCode, 200);
  });

  test('an unknown codice fiscale locks just the same (S3)', async () => {
    const nobody = 'FRRLRA75E48L219T';
    for (let i = 0; i < 5; i++) assert.equal((await signIn(t, nobody, `Sbagliata-${i}!A`)).statusCode, 401);
    const locked = await signIn(t, nobody, strong);
    assert.equal(locked.statusCode, 423);
    assert.ok(locked.json().retryAfter <= 900);
  });

  test('a second lock lasts longer than the first, and none is permanent (S16)', async () => {
    const other = 'VRDLGU80A01F205T';
    await activate(t, other, 'luigi@example.it');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5; i++) await signIn(t, other, `Sbagliata-${i}!A`);
      const locked = await signIn(t, other, strong);
      assert.equal(locked.statusCode, 423);
      assert.ok(locked.json().retryAfter > 900 * round, `round ${round}: ${locked.json().retryAfter}`);
      t.clock.advance(locked.json().retryAfter + 1);
    }
    assert.equal((await signIn(t, other, strong)).statusCode, 200);
  });

  test('50 parallel wrong attempts verify at most the threshold against the hash', async () => {
    const racer = 'MRTMTT91D08F205J';
    await activate(t, racer, 'matteo@example.it');
    let verifications = 0;
    const realVerify = t.deps.hasher.verify;
    t.deps.hasher.verify = async (hash, secret) => { verifications++; return realVerify(hash, secret); };
    try {
      const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(t, racer, `Sbagliata-${i}!A`)));
      const statuses = responses.map((r) => r.statusCode);
      assert.equal(statuses.filter((s) => s === 401).length, 5);
      assert.equal(statuses.filter((s) => s === 423).length, 45);
      assert.equal(verifications, 5);
    } finally {
      t.deps.hasher.verify = realVerify;
    }
  });
});

describe('password expiry', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ PASSWORD_MAX_AGE_DAYS: '180' });
    await activate(t, cf, 'anna@example.it');
  });
  after(() => t.close());

  test('an expired password still signs in, but only to change it (S14)', async () => {
    t.clock.advance(179 * 86400);
    assert.deepEqual((await signIn(t, cf, strong)).json().requiredActions, []);
    t.clock.advance(2 * 86400);
    const expired = await signIn(t, cf, strong);
    assert.deepEqual(expired.json().requiredActions, ['change_password']);
    const cookie = sessionCookieOf(expired);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me/activity', headers: { cookie } })).statusCode, 403);
    const changed = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie },
      payload: { currentPassword: strong, newPassword: 'Girasole#Lago-Blu42' } });
    assert.equal(changed.statusCode, 204);
    const freed = sessionCookieOf(changed); // S19: a new id once the forced change is done
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me/activity', headers: { cookie: freed } })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me/activity', headers: { cookie } })).statusCode, 401);
  });
});
