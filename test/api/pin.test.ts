// The PIN lifecycle through the API (issue 5): issue in two halves, first access, change,
// revocation, desk routes and recovery.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, mailbox, registerCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { createOperator } from '../helpers/operator.ts';

const cf = 'RSSMRA85T10A562S';
const email = 'mario@example.it';
const mobile = '+393331234567';
const pec = 'mario@pec.example.it';

async function setUp(env: Record<string, string> = {}) {
  const t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '50', ...env });
  await registerCitizen(t.app, { codiceFiscale: cf, email, mobile, temporaryPassword: 'Provvisoria-2026' });
  await t.deps.db.query('UPDATE accounts SET pec = $1', [pec]);
  return { t, operator: await createOperator(t.app) };
}

const issue = (t: TestApp, operator: string, body: object = { identityVerified: true, note: 'documento verificato allo sportello' }, who = cf) =>
  t.app.inject({ method: 'POST', url: `/api/v1/desk/accounts/${who}/pin`, headers: { authorization: `Bearer ${operator}` }, payload: body });

async function issuedPin(t: TestApp): Promise<string> {
  const first = (await mailbox(t.app, mobile)).filter((m) => m.kind === 'pin_first_half').at(-1);
  const second = (await mailbox(t.app, email)).filter((m) => m.kind === 'pin_second_half').at(-1);
  const half = (text = '') => /:\n(\S{8})\n/.exec(text)?.[1];
  const pin = `${half(first?.text)}${half(second?.text)}`;
  assert.match(pin, /^[A-Za-z2-9]{16}$/, 'two halves of 8 readable characters');
  return pin;
}

const signIn = (t: TestApp, pin: string) => t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, pin } });

async function firstAccess(t: TestApp, initialPin: string): Promise<string> {
  const session = await signIn(t, initialPin);
  const cookie = sessionCookieOf(session);
  const proposal = (await t.app.inject({ method: 'POST', url: '/api/v1/me/pin/change', headers: { cookie } })).json();
  const done = await t.app.inject({ method: 'POST', url: `/api/v1/me/pin/change/${proposal.changeId}`, headers: { cookie },
    payload: { oldPin: initialPin, newPin: proposal.proposedPin } });
  assert.equal(done.statusCode, 204, done.body);
  return proposal.proposedPin as string;
}

describe('issue and first access', () => {
  let t: TestApp;
  let operator: string;
  before(async () => ({ t, operator } = await setUp()));
  after(() => t.close());

  test('issue → sign in with 16 characters → first access → sign in with the 8-character PIN', async () => {
    assert.equal((await issue(t, operator)).statusCode, 202);
    const initial = await issuedPin(t);
    const session = await signIn(t, initial);
    assert.equal(session.statusCode, 200);
    assert.deepEqual(session.json().requiredActions, ['change_pin']);
    const cookie = sessionCookieOf(session);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me/activity', headers: { cookie } })).json().code, 'action_required');
    const before = (await mailbox(t.app, email)).length;
    const proposal = await t.app.inject({ method: 'POST', url: '/api/v1/me/pin/change', headers: { cookie } });
    assert.equal(proposal.statusCode, 200);
    assert.match(proposal.json().proposedPin, /^[A-Za-z2-9]{8}$/);
    assert.equal((await mailbox(t.app, email)).length, before, 'no verification code at first access');
    const wrongNew = await t.app.inject({ method: 'POST', url: `/api/v1/me/pin/change/${proposal.json().changeId}`, headers: { cookie },
      payload: { oldPin: initial, newPin: 'Zzzzzzzz' } });
    assert.equal(wrongNew.statusCode, 400);
    const done = await t.app.inject({ method: 'POST', url: `/api/v1/me/pin/change/${proposal.json().changeId}`, headers: { cookie },
      payload: { oldPin: initial, newPin: proposal.json().proposedPin } });
    assert.equal(done.statusCode, 204);
    assert.ok((await mailbox(t.app, email)).some((m) => m.kind === 'credential_changed'));
    assert.equal((await signIn(t, initial)).statusCode, 401, 'the 16-character PIN is gone');
    const again = await signIn(t, proposal.json().proposedPin);
    assert.deepEqual(again.json().requiredActions, []);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: sessionCookieOf(again) } });
    assert.equal(me.json().pin.state, 'active');
  });

  test('a change needs the verification code sent to email and mobile', async () => {
    const current = await (async () => {
      await issue(t, operator);
      return firstAccess(t, await issuedPin(t));
    })();
    const cookie = sessionCookieOf(await signIn(t, current));
    const proposal = (await t.app.inject({ method: 'POST', url: '/api/v1/me/pin/change', headers: { cookie } })).json();
    const byEmail = /\b(\d{6})\b/.exec((await mailbox(t.app, email)).filter((m) => m.kind === 'contact_verification_code').at(-1)?.text ?? '')?.[1];
    const bySms = /\b(\d{6})\b/.exec((await mailbox(t.app, mobile)).filter((m) => m.kind === 'contact_verification_code').at(-1)?.text ?? '')?.[1];
    assert.ok(byEmail);
    assert.equal(byEmail, bySms);
    const url = `/api/v1/me/pin/change/${proposal.changeId}`;
    const missing = await t.app.inject({ method: 'POST', url, headers: { cookie }, payload: { oldPin: current, newPin: proposal.proposedPin } });
    assert.deepEqual([missing.statusCode, missing.json().code], [400, 'invalid_code']);
    const wrong = await t.app.inject({ method: 'POST', url, headers: { cookie },
      payload: { oldPin: current, newPin: proposal.proposedPin, verificationCode: byEmail === '000000' ? '111111' : '000000' } });
    assert.deepEqual([wrong.statusCode, wrong.json().attemptsLeft], [400, 3]);
    const right = await t.app.inject({ method: 'POST', url, headers: { cookie },
      payload: { oldPin: current, newPin: proposal.proposedPin, verificationCode: byEmail } });
    assert.equal(right.statusCode, 204);
    assert.equal((await signIn(t, proposal.proposedPin)).statusCode, 200);
  });

  test('a revoked PIN never signs in again', async () => {
    await issue(t, operator);
    const pin = await firstAccess(t, await issuedPin(t));
    const cookie = sessionCookieOf(await signIn(t, pin));
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/me/pin/revoke', headers: { cookie } })).statusCode, 204);
    assert.equal((await signIn(t, pin)).statusCode, 401);
    const password = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password: 'Provvisoria-2026' } });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: sessionCookieOf(password) } });
    assert.equal(me.json().pin.state, 'revoked');
  });
});

describe('desk routes', () => {
  let t: TestApp;
  let operator: string;
  before(async () => ({ t, operator } = await setUp()));
  after(() => t.close());

  test('identity must be verified; unknown accounts are named; own account and other roles refused', async () => {
    const unverified = await issue(t, operator, { note: 'al telefono' });
    assert.deepEqual([unverified.statusCode, unverified.json().code], [400, 'identity_not_verified']);
    const unknown = await issue(t, operator, { identityVerified: true, note: 'x' }, 'MRTMTT91D08F205J');
    assert.deepEqual([unknown.statusCode, unknown.json().code], [404, 'account_not_found']);
    await registerCitizen(t.app, { codiceFiscale: 'VRDLGU80A01F205T', email: 'luigi@example.it', mobile: '+393470000000', temporaryPassword: 'Provvisoria-2026' });
    const own = await issue(t, operator, { identityVerified: true, note: 'x' }, 'VRDLGU80A01F205T');
    assert.deepEqual([own.statusCode, own.json().code], [403, 'forbidden']);
    assert.equal((await issue(t, adminToken)).statusCode, 403);
    assert.equal((await issue(t, 'not-a-real-token-0000000000')).statusCode, 401);
  });

  test('an operator revokes a PIN', async () => {
    await issue(t, operator);
    const pin = await issuedPin(t);
    const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/desk/accounts/${cf}/pin/revoke`, headers: { authorization: `Bearer ${operator}` } });
    assert.equal(revoked.statusCode, 204);
    assert.equal((await signIn(t, pin)).statusCode, 401);
  });
});

describe('PIN recovery', () => {
  let t: TestApp;
  let operator: string;
  before(async () => ({ t, operator } = await setUp({ LOCKOUT_THRESHOLD: '5' })));
  after(() => t.close());

  const recover = (body: object) => t.app.inject({ method: 'POST', url: '/api/v1/recovery/pin', payload: { codiceFiscale: cf, ...body } });
  const confirm = (recoveryCode: string) => t.app.inject({ method: 'POST', url: '/api/v1/recovery/pin/confirm', payload: { codiceFiscale: cf, recoveryCode } });
  const kinds = async () => (await mailbox(t.app, email)).map((m) => m.kind);

  test('fewer than two contacts → 400 two_contacts_required', async () => {
    const response = await recover({ mobile });
    assert.deepEqual([response.statusCode, response.json().code], [400, 'two_contacts_required']);
  });

  test('before first access: an email saying the PIN must be requested again', async () => {
    await issue(t, operator);
    const response = await recover({ mobile, email });
    assert.equal(response.statusCode, 202);
    assert.equal((await kinds()).at(-1), 'pin_recovery_not_possible');
  });

  test('non-matching contacts send nothing, and answer the same', async () => {
    const count = (await kinds()).length;
    const one = await recover({ mobile, email: 'other@example.it' });
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/recovery/pin', payload: { codiceFiscale: 'MRTMTT91D08F205J', mobile, email } });
    assert.equal(one.body, none.body);
    assert.equal(one.statusCode, 202);
    assert.equal((await kinds()).length, count);
  });

  test('after first access, three contacts with two matching: a code; confirming it issues a new PIN', async () => {
    await issue(t, operator);
    const oldPin = await firstAccess(t, await issuedPin(t));
    assert.equal((await recover({ mobile, email, pec: 'wrong@pec.example.it' })).statusCode, 202);
    const mail = (await mailbox(t.app, email)).filter((m) => m.kind === 'pin_recovery_code').at(-1);
    const code = /\b(\d{8})\b/.exec(mail?.text ?? '')?.[1];
    assert.ok(code, 'an 8-digit recovery code');
    assert.match(mail!.text, new RegExp(`/recovery/pin/confirm/${cf}/${code}`));
    const firstHalves = (await mailbox(t.app, mobile)).filter((m) => m.kind === 'pin_first_half').length;
    assert.equal((await confirm(code)).statusCode, 202);
    assert.equal((await mailbox(t.app, mobile)).filter((m) => m.kind === 'pin_first_half').length, firstHalves + 1);
    assert.equal((await signIn(t, oldPin)).statusCode, 401, 'the old PIN stops working');
    const fresh = await signIn(t, await issuedPin(t));
    assert.deepEqual(fresh.json().requiredActions, ['change_pin']);
    assert.equal((await confirm(code)).statusCode, 202, 'a used code answers the same');
  });

  test('mobile and PEC are enough; 20 parallel confirmations issue one PIN', async () => {
    await issue(t, operator);
    await firstAccess(t, await issuedPin(t));
    await recover({ mobile: '333 123 4567', pec: pec.toUpperCase() });
    const code = /\b(\d{8})\b/.exec((await mailbox(t.app, email)).filter((m) => m.kind === 'pin_recovery_code').at(-1)?.text ?? '')![1]!;
    const before = (await mailbox(t.app, mobile)).filter((m) => m.kind === 'pin_first_half').length;
    await Promise.all(Array.from({ length: 20 }, () => confirm(code)));
    assert.equal((await mailbox(t.app, mobile)).filter((m) => m.kind === 'pin_first_half').length, before + 1);
  });

  test('wrong recovery codes count toward the lockout', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await confirm(`0000000${i}`)).statusCode, 202);
    const locked = await confirm('00000009');
    assert.deepEqual([locked.statusCode, locked.json().code], [423, 'account_locked']);
  });
});
