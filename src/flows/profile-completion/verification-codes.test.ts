// Verification codes (issue 12): 6 digits, 10 minutes, 5 attempts, single use, voided on reissue.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { activateCitizen, sessionCookieOf, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { latestCode } from '../../../test/helpers/first-access.ts';

const citizen = { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', mobile: '3331234567', password: 'Tramonto-Viola!Sul-Po7' };

describe('contact verification codes', () => {
  let t: TestApp;
  let cookie: string;
  const send = () => t.app.inject({ method: 'POST', url: '/api/v1/me/email/verification', headers: { cookie } });
  const confirm = (code: string) => t.app.inject({ method: 'POST', url: '/api/v1/me/email/verification/confirm', headers: { cookie }, payload: { code } });
  const other = (code: string) => (code === '999999' ? '999998' : '999999');

  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, citizen);
  });
  beforeEach(async () => {
    await t.deps.db.query(`UPDATE accounts SET pending_actions = '{verify_email}', email_verified = false`);
    // Each test starts with a fresh attempt budget: resends within the hour share one (S8).
    await t.deps.db.query('DELETE FROM contact_proofs');
    await t.deps.db.query('DELETE FROM one_time_secrets');
    await t.deps.db.query('DELETE FROM rate_limits'); // and its own hourly allowance of codes
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: citizen.codiceFiscale, password: citizen.password } });
    cookie = sessionCookieOf(signedIn);
  });
  after(() => t.close());

  test('a resent code keeps the attempts already spent on that address', async () => {
    await send();
    const code = await latestCode(t.app, citizen.email);
    assert.equal((await confirm(other(code))).json().attemptsLeft, 4);
    t.clock.advance(61);
    await send();
    const again = await latestCode(t.app, citizen.email);
    assert.equal((await confirm(other(again))).json().attemptsLeft, 3, 'a new message, the same budget');
  });

  test('a code is 6 digits and expires after 10 minutes', async () => {
    assert.equal((await send()).statusCode, 202);
    const code = await latestCode(t.app, citizen.email);
    assert.match(code, /^\d{6}$/);
    t.clock.advance(10 * 60 + 1);
    assert.equal((await confirm(code)).json().code, 'invalid_code');
  });

  test('the fifth wrong attempt ends the code, even for the right code afterwards', async () => {
    await send();
    const code = await latestCode(t.app, citizen.email);
    for (let left = 4; left >= 0; left--) assert.equal((await confirm(other(code))).json().attemptsLeft, left);
    const late = await confirm(code);
    assert.equal(late.statusCode, 400);
    assert.equal(late.json().code, 'invalid_code');
  });

  test('a new code voids the previous one', async () => {
    await send();
    const first = await latestCode(t.app, citizen.email);
    t.clock.advance(61);
    await send();
    const second = await latestCode(t.app, citizen.email);
    if (first !== second) assert.equal((await confirm(first)).statusCode, 400, 'the first code is void');
    assert.equal((await confirm(second)).statusCode, 204);
  });

  test('a code is used once, and malformed codes are refused like wrong ones', async () => {
    await send();
    const code = await latestCode(t.app, citizen.email);
    assert.equal((await confirm('12a456')).json().code, 'invalid_code');
    const spent = await confirm(code);
    assert.equal(spent.statusCode, 204);
    cookie = sessionCookieOf(spent); // the finished flow carries on under a new session id
    await t.deps.db.query(`UPDATE accounts SET pending_actions = '{verify_email}', email_verified = false`);
    assert.equal((await confirm(code)).json().code, 'invalid_code');
  });

  test('codes are stored keyed, never as sent', async () => {
    await send();
    const code = await latestCode(t.app, citizen.email);
    const stored = await t.deps.db.query<{ secret_hash: string }>(`SELECT secret_hash FROM one_time_secrets WHERE purpose = 'verify_email'`);
    assert.ok(stored.rows.length > 0, 'codes live in the one-time-secret table');
    assert.ok(stored.rows.every((row) => !row.secret_hash.includes(code) && row.secret_hash.length >= 43));
  });
});
