// The PIN through the API (issue 5): issue in two halves, first access, change with and
// without the verification code, revocation (S4–S10, S13, S15, S22, S23, S30).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Random } from '../../src/domain/clock.ts';
import { newInitialPin } from '../../src/domain/pin.ts';
import { findAccountByCodiceFiscale } from '../../src/store/accounts.repo.ts';
import { mailbox, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import {
  citizenWithActivePin, completeFirstAccess, countOf, halfIn, issueBySteps, issuedPin, registerPinCitizen, signInWithPin, temporaryPassword,
  type PinCitizen,
} from '../helpers/pin.ts';

const lookAlikes = /[0O1Il]/;

const get = (t: TestApp, url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const post = (t: TestApp, url: string, cookie: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload ? { payload } : {}) });
const propose = (t: TestApp, cookie: string) => post(t, '/api/v1/me/pin/change', cookie);
const confirm = (t: TestApp, cookie: string, changeId: string, body: object) => post(t, `/api/v1/me/pin/change/${changeId}`, cookie, body);

async function pinSession(t: TestApp, citizen: PinCitizen, pin: string): Promise<string> {
  const response = await signInWithPin(t, citizen.codiceFiscale, pin);
  assert.equal(response.statusCode, 200, response.body);
  return sessionCookieOf(response);
}

async function lastVerificationCode(t: TestApp, to: string): Promise<string> {
  const message = (await mailbox(t.app, to)).filter((m) => m.kind === 'contact_verification_code').at(-1);
  const code = /\b(\d{6})\b/.exec(message?.text ?? '')?.[1];
  assert.ok(code, `a 6-digit verification code reached ${to}`);
  return code;
}

describe('issue and first access', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  test('issue → sign in with 16 characters → first access → sign in with the 8-character PIN', async () => {
    const citizen = await registerPinCitizen(t, 1);
    await issueBySteps(t, citizen.codiceFiscale);
    const sms = (await mailbox(t.app, citizen.mobile)).filter((m) => m.kind === 'pin_first_half');
    const email = (await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'pin_second_half');
    assert.deepEqual([sms.length, sms[0]?.channel, email.length, email[0]?.channel], [1, 'sms', 1, 'email']);
    const initial = await issuedPin(t, citizen);
    assert.doesNotMatch(initial, lookAlikes);

    const session = await signInWithPin(t, citizen.codiceFiscale, initial);
    assert.deepEqual(session.json(), { codiceFiscale: citizen.codiceFiscale, requiredActions: ['change_pin'] });
    const cookie = sessionCookieOf(session);
    assert.equal((await get(t, '/api/v1/me', cookie)).json().pin.state, 'initial');
    const blocked = await get(t, '/api/v1/me/activity', cookie);
    assert.deepEqual([blocked.statusCode, blocked.json().code, blocked.json().requiredActions], [403, 'action_required', ['change_pin']]);

    const codesBefore = await countOf(t, citizen.email, 'contact_verification_code') + await countOf(t, citizen.mobile, 'contact_verification_code');
    const proposal = await propose(t, cookie);
    assert.equal(proposal.statusCode, 200);
    assert.equal(proposal.headers['cache-control'], 'no-store');
    const { changeId, proposedPin } = proposal.json() as { changeId: string; proposedPin: string };
    assert.match(proposedPin, /^[A-HJ-NP-Za-km-np-z2-9]{8}$/);
    const codesAfter = await countOf(t, citizen.email, 'contact_verification_code') + await countOf(t, citizen.mobile, 'contact_verification_code');
    assert.equal(codesAfter, codesBefore, 'no verification code at first access');

    const typo = await confirm(t, cookie, changeId, { oldPin: initial, newPin: 'Zzzzzzzz' });
    assert.deepEqual([typo.statusCode, typo.json().code], [400, 'invalid_request']);
    const confirmed = await confirm(t, cookie, changeId, { oldPin: initial, newPin: proposedPin });
    assert.equal(confirmed.statusCode, 204);
    assert.equal(await countOf(t, citizen.email, 'credential_changed'), 1);
    // S19: the session goes on, freed, under a new id; the id it had while restricted is dead.
    const freed = sessionCookieOf(confirmed);
    assert.notEqual(freed, cookie);
    assert.deepEqual((await get(t, '/api/v1/me', freed)).json().requiredActions, [], 'the session is now free');
    assert.equal((await get(t, '/api/v1/me', cookie)).statusCode, 401, 'the old session id is gone');

    assert.equal((await signInWithPin(t, citizen.codiceFiscale, initial)).statusCode, 401, 'the 16-character PIN is gone');
    const again = await signInWithPin(t, citizen.codiceFiscale, proposedPin);
    assert.deepEqual([again.statusCode, again.json().requiredActions], [200, []]);
    assert.equal((await get(t, '/api/v1/me', sessionCookieOf(again))).json().pin.state, 'active');
  });

  test('no PIN without a registered mobile and email', async () => {
    const citizen = await registerPinCitizen(t, 2);
    await t.deps.db.query('UPDATE accounts SET mobile = NULL WHERE codice_fiscale = $1', [citizen.codiceFiscale]);
    await assert.rejects(issueBySteps(t, citizen.codiceFiscale), { code: 'conflict' });
    assert.equal(await countOf(t, citizen.email, 'pin_second_half'), 0, 'nothing was sent');
  });

  test('a new issue kills the previous PIN and the sessions it opened', async () => {
    const citizen = await registerPinCitizen(t, 3);
    await issueBySteps(t, citizen.codiceFiscale);
    const first = await issuedPin(t, citizen);
    const cookie = await pinSession(t, citizen, first);
    await issueBySteps(t, citizen.codiceFiscale);
    const second = await issuedPin(t, citizen);
    assert.notEqual(first, second);
    assert.equal((await get(t, '/api/v1/me', cookie)).statusCode, 401);
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, first)).statusCode, 401);
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, second)).statusCode, 200);
  });

  test('property: issued PINs have no look-alikes and the SMS and email halves reassemble them', async () => {
    const citizen = await registerPinCitizen(t, 4);
    const account = await findAccountByCodiceFiscale(t.deps.db, citizen.codiceFiscale);
    await fc.assert(fc.asyncProperty(fc.array(fc.nat(), { minLength: 16, maxLength: 16 }), fc.constantFrom('it', 'en', 'ro'), async (draws, language) => {
      const scripted = (): Random => {
        let next = 0;
        return { bytes: t.deps.random.bytes, int: (min, max) => min + ((draws[next++] ?? 0) % (max - min)) };
      };
      await t.deps.db.query('UPDATE accounts SET language = $2 WHERE id = $1', [account!.id, language]);
      await issueBySteps(t, citizen.codiceFiscale, { ...t.deps, random: scripted() });
      const sms = (await mailbox(t.app, citizen.mobile)).filter((m) => m.kind === 'pin_first_half').at(-1)?.text;
      const email = (await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'pin_second_half').at(-1)?.text;
      const reassembled = `${halfIn(sms)}${halfIn(email)}`;
      assert.equal(reassembled, newInitialPin(scripted()));
      assert.doesNotMatch(reassembled, lookAlikes);
      const stored = await findAccountByCodiceFiscale(t.deps.db, citizen.codiceFiscale);
      assert.ok(await t.deps.hasher.verify(stored!.pin_hash!, reassembled), 'the stored hash is the PIN the halves make');
    }), { numRuns: 12 });
  });
});

describe('change after first access', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  test('with the verification code sent to email and mobile: other sessions end, a notice is sent', async () => {
    const citizen = await registerPinCitizen(t, 10);
    const current = await citizenWithActivePin(t, citizen);
    const other = await pinSession(t, citizen, current);
    const cookie = await pinSession(t, citizen, current);
    const { changeId, proposedPin } = (await propose(t, cookie)).json() as { changeId: string; proposedPin: string };
    const byEmail = await lastVerificationCode(t, citizen.email);
    assert.equal(await lastVerificationCode(t, citizen.mobile), byEmail, 'the same code on both channels');

    const missing = await confirm(t, cookie, changeId, { oldPin: current, newPin: proposedPin });
    assert.deepEqual([missing.statusCode, missing.json().code, missing.json().attemptsLeft], [400, 'invalid_code', 4]);
    const notices = await countOf(t, citizen.email, 'credential_changed');
    const changed = await confirm(t, cookie, changeId, { oldPin: current, newPin: proposedPin, verificationCode: byEmail });
    assert.equal(changed.statusCode, 204);
    assert.equal(await countOf(t, citizen.email, 'credential_changed'), notices + 1);
    assert.equal((await get(t, '/api/v1/me', other)).statusCode, 401, 'the other session ended (S22)');
    assert.equal((await get(t, '/api/v1/me', sessionCookieOf(changed))).statusCode, 200, 'this one goes on, under a new id (S19)');
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, current)).statusCode, 401);
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, proposedPin)).statusCode, 200);
  });

  test('without the right code: 5 wrong codes kill the change, then 410 flow_expired even with the right one', async () => {
    const citizen = await registerPinCitizen(t, 11);
    const current = await citizenWithActivePin(t, citizen);
    const cookie = await pinSession(t, citizen, current);
    const { changeId, proposedPin } = (await propose(t, cookie)).json() as { changeId: string; proposedPin: string };
    const code = await lastVerificationCode(t, citizen.mobile);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 0; left--) {
      const response = await confirm(t, cookie, changeId, { oldPin: current, newPin: proposedPin, verificationCode: wrong });
      assert.deepEqual([response.statusCode, response.json().code, response.json().attemptsLeft], [400, 'invalid_code', left]);
    }
    const dead = await confirm(t, cookie, changeId, { oldPin: current, newPin: proposedPin, verificationCode: code });
    assert.deepEqual([dead.statusCode, dead.json().code], [410, 'flow_expired']);
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, current)).statusCode, 200, 'the PIN is unchanged');
  });

  test('the code is valid 10 minutes; a newer proposal voids the older one', async () => {
    const citizen = await registerPinCitizen(t, 12);
    const current = await citizenWithActivePin(t, citizen);
    const cookie = await pinSession(t, citizen, current);
    const older = (await propose(t, cookie)).json() as { changeId: string; proposedPin: string };
    const newer = (await propose(t, cookie)).json() as { changeId: string; proposedPin: string };
    const code = await lastVerificationCode(t, citizen.email);
    const voided = await confirm(t, cookie, older.changeId, { oldPin: current, newPin: older.proposedPin, verificationCode: code });
    assert.equal(voided.json().code, 'flow_expired');
    t.clock.advance(10 * 60 + 1);
    const cookieAgain = await pinSession(t, citizen, current);
    const late = await confirm(t, cookieAgain, newer.changeId, { oldPin: current, newPin: newer.proposedPin, verificationCode: code });
    assert.deepEqual([late.statusCode, late.json().code], [410, 'flow_expired']);
  });

  test('a change belongs to the account whose session proposed it', async () => {
    const owner = await registerPinCitizen(t, 13);
    const intruder = await registerPinCitizen(t, 14);
    const ownerPin = await citizenWithActivePin(t, owner);
    const intruderPin = await citizenWithActivePin(t, intruder);
    const { changeId, proposedPin } = (await propose(t, await pinSession(t, owner, ownerPin))).json() as { changeId: string; proposedPin: string };
    const code = await lastVerificationCode(t, owner.email);
    const stolen = await confirm(t, await pinSession(t, intruder, intruderPin), changeId, { oldPin: intruderPin, newPin: proposedPin, verificationCode: code });
    assert.deepEqual([stolen.statusCode, stolen.json().code], [410, 'flow_expired']);
    assert.equal((await signInWithPin(t, intruder.codiceFiscale, intruderPin)).statusCode, 200);
  });

  test('a wrong old PIN answers 401 and counts toward the lockout (S13, S15)', async () => {
    const citizen = await registerPinCitizen(t, 15);
    await issueBySteps(t, citizen.codiceFiscale);
    const initial = await issuedPin(t, citizen);
    const cookie = await pinSession(t, citizen, initial);
    const { changeId, proposedPin } = (await propose(t, cookie)).json() as { changeId: string; proposedPin: string };
    for (let i = 0; i < 5; i++) {
      const wrong = await confirm(t, cookie, changeId, { oldPin: `Sbagliato${i}xyzABCDE`, newPin: proposedPin });
      assert.deepEqual([wrong.statusCode, wrong.json().code], [401, 'invalid_credentials']);
    }
    const locked = await signInWithPin(t, citizen.codiceFiscale, initial);
    assert.deepEqual([locked.statusCode, locked.json().code], [423, 'account_locked']);
  });

  test('at most 5 proposals an hour per account, since each sends a fresh code', async () => {
    const citizen = await registerPinCitizen(t, 17);
    const current = await citizenWithActivePin(t, citizen); // the first access was one proposal
    const cookie = await pinSession(t, citizen, current);
    for (let i = 0; i < 4; i++) assert.equal((await propose(t, cookie)).statusCode, 200);
    const limited = await propose(t, cookie);
    assert.deepEqual([limited.statusCode, limited.json().code], [429, 'rate_limited']);
    t.clock.advance(3600);
    assert.equal((await propose(t, await pinSession(t, citizen, current))).statusCode, 200);
  });

  test('other pending actions block the PIN endpoints; a password session needs the code even before first access', async () => {
    const citizen = await registerPinCitizen(t, 16);
    await issueBySteps(t, citizen.codiceFiscale);
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: citizen.codiceFiscale, password: temporaryPassword } });
    const cookie = sessionCookieOf(signedIn);
    const blocked = await propose(t, cookie);
    assert.deepEqual([blocked.statusCode, blocked.json().code, blocked.json().requiredActions], [403, 'action_required', ['change_password']]);
    assert.equal((await post(t, '/api/v1/me/pin/change', '')).statusCode, 401, 'no session, no PIN change');
    const freed = sessionCookieOf(await post(t, '/api/v1/me/password', cookie, { currentPassword: temporaryPassword, newPassword: 'Tramonto-Viola!Sul-Po7' }));
    const codes = await countOf(t, citizen.mobile, 'contact_verification_code');
    const { changeId, proposedPin } = (await propose(t, freed)).json() as { changeId: string; proposedPin: string };
    assert.equal(await countOf(t, citizen.mobile, 'contact_verification_code'), codes + 1, 'only a PIN session is first access');
    const noCode = await confirm(t, freed, changeId, { oldPin: await issuedPin(t, citizen), newPin: proposedPin });
    assert.equal(noCode.json().code, 'invalid_code');
  });
});

describe('single use under concurrency', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp({ LOCKOUT_THRESHOLD: '100' }); });
  after(() => t.close());

  test('20 parallel confirmations of one change: exactly one succeeds (S6)', async () => {
    const citizen = await registerPinCitizen(t, 20);
    await issueBySteps(t, citizen.codiceFiscale);
    const initial = await issuedPin(t, citizen);
    const cookie = await pinSession(t, citizen, initial);
    const { changeId, proposedPin } = (await propose(t, cookie)).json() as { changeId: string; proposedPin: string };
    const results = await Promise.all(Array.from({ length: 20 }, () => confirm(t, cookie, changeId, { oldPin: initial, newPin: proposedPin })));
    assert.equal(results.filter((r) => r.statusCode === 204).length, 1);
    // The winner's session goes on under a new id (S19): a loser whose request reads the
    // session after that rename finds none (401); one read before it finds the change used.
    const refusals = results.filter((r) => r.statusCode !== 204).map((r) => r.json().code as string);
    assert.deepEqual(refusals.filter((code) => code !== 'flow_expired' && code !== 'unauthenticated'), []);
    assert.equal(await countOf(t, citizen.email, 'credential_changed'), 1);
  });
});

describe('revocation', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  async function passwordSession(citizen: PinCitizen): Promise<string> {
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: citizen.codiceFiscale, password: temporaryPassword } });
    const cookie = sessionCookieOf(first);
    const changed = await post(t, '/api/v1/me/password', cookie, { currentPassword: temporaryPassword, newPassword: 'Tramonto-Viola!Sul-Po7' });
    assert.equal(changed.statusCode, 204, changed.body);
    return sessionCookieOf(changed); // S19: the freed session has a new id
  }

  test('a revoked PIN never signs in again; the password session that revoked it goes on', async () => {
    const citizen = await registerPinCitizen(t, 30);
    const pin = await citizenWithActivePin(t, citizen);
    const pinCookie = await pinSession(t, citizen, pin);
    const cookie = await passwordSession(citizen);
    assert.equal((await post(t, '/api/v1/me/pin/revoke', cookie)).statusCode, 204);
    assert.equal((await get(t, '/api/v1/me', cookie)).json().pin.state, 'revoked');
    assert.equal((await get(t, '/api/v1/me', pinCookie)).statusCode, 401, 'the PIN session ended');
    const refused = await signInWithPin(t, citizen.codiceFiscale, pin);
    assert.deepEqual([refused.statusCode, refused.json().code], [401, 'invalid_credentials']);
    const account = await findAccountByCodiceFiscale(t.deps.db, citizen.codiceFiscale);
    assert.equal(account?.pin_hash, null, 'the hash is gone');
    assert.equal((await propose(t, cookie)).json().code, 'conflict', 'nothing left to change');
  });

  test('revoking the initial PIN from its own session ends that session', async () => {
    const citizen = await registerPinCitizen(t, 31);
    await issueBySteps(t, citizen.codiceFiscale);
    const initial = await issuedPin(t, citizen);
    const cookie = await pinSession(t, citizen, initial);
    const revoked = await post(t, '/api/v1/me/pin/revoke', cookie);
    assert.equal(revoked.statusCode, 204);
    assert.equal((await get(t, '/api/v1/me', cookie)).statusCode, 401);
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, initial)).statusCode, 401);
  });

  test('a revocation kills an outstanding change', async () => {
    const citizen = await registerPinCitizen(t, 32);
    await issueBySteps(t, citizen.codiceFiscale);
    const initial = await issuedPin(t, citizen);
    const pinCookie = await pinSession(t, citizen, initial);
    const { changeId, proposedPin } = (await propose(t, pinCookie)).json() as { changeId: string; proposedPin: string };
    assert.equal((await post(t, '/api/v1/me/pin/revoke', await passwordSession(citizen))).statusCode, 204);
    await issueBySteps(t, citizen.codiceFiscale);
    const fresh = await issuedPin(t, citizen);
    const late = await confirm(t, await pinSession(t, citizen, fresh), changeId, { oldPin: fresh, newPin: proposedPin });
    assert.deepEqual([late.statusCode, late.json().code], [410, 'flow_expired']);
    assert.ok(await completeFirstAccess(t, citizen, fresh), 'a new first access works');
  });
});
