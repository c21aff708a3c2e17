// S9, S22, S30, S31 for EVERY path that changes a password or a PIN (issue 9): a password
// reset link and a PIN recovery code issued BEFORE the change are refused AFTER it, the
// account's other sessions end, and a notice and an audit event exist. Regression for the
// desk and admin temporary passwords, which used to leave earlier links and codes usable.
// Every path also runs with a hasher that records any argon2 work done while a transaction
// is open: hashing under the audit chain lock serialises every writer (issue 9, "hash first").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { issueSecret } from '../../src/flows/credentials/one-time-secret.ts';
import { findAccountByCodiceFiscale } from '../../src/store/accounts.repo.ts';
import { mailbox, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { pdf } from '../helpers/documents.ts';
import { multipart } from '../helpers/multipart.ts';
import { createOperator } from '../helpers/operator.ts';
import {
  citizenWithActivePin, countOf, issueBySteps, issuedPin, registerPinCitizen, signInWithPin, temporaryPassword, type PinCitizen,
} from '../helpers/pin.ts';

const strong = 'Tramonto-Viola!Sul-Po7';

interface Ctx {
  t: TestApp;
  citizen: PinCitizen;
  pin: string;
  operator: string;
  /** The session the citizen makes the change from, where the path has one. */
  acting?: string;
}

interface Row {
  path: string;
  /** 'initial': the citizen holds a freshly issued PIN (first access); otherwise an active one. */
  pin?: 'initial';
  notice: { to: 'email' | 'mobile'; kind: string };
  audit: string;
  change(ctx: Ctx): Promise<void>;
}

const post = (t: TestApp, url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
const expect2xx = (response: { statusCode: number; body: string }, what: string) =>
  assert.ok(response.statusCode >= 200 && response.statusCode < 300, `${what}: ${response.statusCode} ${response.body}`);
/** Clearing a required action resumes the sign-in with a new session id (S19): the acting session goes on under it. */
const renewedCookie = (response: Parameters<typeof sessionCookieOf>[0], cookie: string) =>
  (response.cookies.some((c) => c.name === 'varco_session') ? sessionCookieOf(response) : cookie);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function lastMatch(t: TestApp, to: string, kind: string, pattern: RegExp): Promise<string> {
  const text = (await mailbox(t.app, to)).filter((m) => m.kind === kind).at(-1)?.text ?? '';
  const found = pattern.exec(text)?.[1];
  assert.ok(found, `a ${kind} reached ${to}`);
  return found;
}

const resetLink = async (ctx: Ctx) => {
  expect2xx(await post(ctx.t, '/api/v1/recovery/password', { codiceFiscale: ctx.citizen.codiceFiscale, channel: 'email', email: ctx.citizen.email }), 'link');
  return lastMatch(ctx.t, ctx.citizen.email, 'password_reset_link', /\/recovery\/password\/([A-Za-z0-9_-]{22,})/);
};

const pinRecoveryCode = async (ctx: Ctx) => {
  const { codiceFiscale, mobile, email } = ctx.citizen;
  expect2xx(await post(ctx.t, '/api/v1/recovery/pin', { codiceFiscale, mobile, email }), 'PIN recovery');
  return lastMatch(ctx.t, email, 'pin_recovery_code', /\/recovery\/pin\/confirm\/(\d{8})/);
};

const passwordSession = async (ctx: Ctx) =>
  sessionCookieOf(await post(ctx.t, '/api/v1/session', { codiceFiscale: ctx.citizen.codiceFiscale, password: temporaryPassword }));

async function confirmedAssistanceRequest(ctx: Ctx, category: string): Promise<string> {
  const form = multipart({ codiceFiscale: ctx.citizen.codiceFiscale, email: ctx.citizen.email, category, message: 'Ho perso le credenziali.' },
    { name: 'document', filename: 'documento.pdf', type: 'application/pdf', bytes: pdf() });
  const filed = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/assistance/requests', ...form });
  expect2xx(filed, 'assistance request');
  const token = await lastMatch(ctx.t, ctx.citizen.email, 'assistance_confirm', /\/assistance\/confirm\/([A-Za-z0-9_-]+)/);
  expect2xx(await post(ctx.t, '/api/v1/assistance/confirm', { token }), 'confirmation');
  return filed.json().requestId as string;
}

async function resolveBy(ctx: Ctx, outcome: string): Promise<void> {
  const id = await confirmedAssistanceRequest(ctx, outcome === 'pin_issued' ? 'pin_request' : 'password_reset');
  expect2xx(await post(ctx.t, `/api/v1/desk/requests/${id}/resolve`, { outcome, identityVerified: true, note: 'documento conforme' }, bearer(ctx.operator)),
    'resolution');
}

async function changePin(ctx: Ctx, withCode: boolean): Promise<void> {
  const cookie = ctx.acting!;
  const proposal = await post(ctx.t, '/api/v1/me/pin/change', undefined, { cookie });
  expect2xx(proposal, 'proposal');
  const { changeId, proposedPin } = proposal.json() as { changeId: string; proposedPin: string };
  const verificationCode = withCode ? await lastMatch(ctx.t, ctx.citizen.email, 'contact_verification_code', /\b(\d{6})\b/) : undefined;
  const changed = await post(ctx.t, `/api/v1/me/pin/change/${changeId}`, { oldPin: ctx.pin, newPin: proposedPin, verificationCode }, { cookie });
  expect2xx(changed, 'PIN change');
  ctx.acting = renewedCookie(changed, cookie);
}

const rows: Row[] = [
  { path: 'user password change', notice: { to: 'email', kind: 'credential_changed' }, audit: 'password_changed',
    async change(ctx) {
      ctx.acting = await passwordSession(ctx);
      const changed = await post(ctx.t, '/api/v1/me/password', { currentPassword: temporaryPassword, newPassword: strong }, { cookie: ctx.acting });
      expect2xx(changed, 'change');
      ctx.acting = renewedCookie(changed, ctx.acting);
    } },
  { path: 'password recovery by email link', notice: { to: 'email', kind: 'credential_changed' }, audit: 'password_reset',
    async change(ctx) {
      expect2xx(await post(ctx.t, '/api/v1/recovery/password/complete', { token: await resetLink(ctx), newPassword: strong }), 'completion');
    } },
  { path: 'password recovery by SMS code', notice: { to: 'email', kind: 'credential_changed' }, audit: 'password_reset',
    async change(ctx) {
      const started = await post(ctx.t, '/api/v1/recovery/password', { codiceFiscale: ctx.citizen.codiceFiscale, channel: 'sms', mobile: ctx.citizen.mobile });
      const code = await lastMatch(ctx.t, ctx.citizen.mobile, 'password_reset_code', /\b(\d{6})\b/);
      const verified = await post(ctx.t, `/api/v1/recovery/password/${started.json().flowId}/code`, { code });
      expect2xx(await post(ctx.t, '/api/v1/recovery/password/complete', { token: verified.json().token, newPassword: strong }), 'completion');
    } },
  { path: 'desk temporary password, assistance request resolved', notice: { to: 'email', kind: 'temporary_password' }, audit: 'temporary_password_issued',
    change: (ctx) => resolveBy(ctx, 'temporary_password') },
  { path: 'desk temporary password, phone route', notice: { to: 'email', kind: 'temporary_password' }, audit: 'temporary_password_issued',
    async change(ctx) {
      expect2xx(await post(ctx.t, `/api/v1/desk/accounts/${ctx.citizen.codiceFiscale}/temporary-password`, { identityVerified: true, note: 'al telefono' },
        bearer(ctx.operator)), 'temporary password');
    } },
  { path: 'PIN issued by the desk, phone route', notice: { to: 'mobile', kind: 'pin_first_half' }, audit: 'pin_issued',
    async change(ctx) {
      expect2xx(await post(ctx.t, `/api/v1/desk/accounts/${ctx.citizen.codiceFiscale}/pin`, { identityVerified: true, note: 'allo sportello' },
        bearer(ctx.operator)), 'PIN issue');
    } },
  { path: 'PIN issued by the desk, assistance request resolved', notice: { to: 'mobile', kind: 'pin_first_half' }, audit: 'pin_issued',
    change: (ctx) => resolveBy(ctx, 'pin_issued') },
  { path: 'PIN first access', pin: 'initial', notice: { to: 'email', kind: 'credential_changed' }, audit: 'pin_changed',
    change: (ctx) => changePin(ctx, false) },
  { path: 'PIN change', notice: { to: 'email', kind: 'credential_changed' }, audit: 'pin_changed',
    async change(ctx) {
      ctx.acting = sessionCookieOf(await signInWithPin(ctx.t, ctx.citizen.codiceFiscale, ctx.pin));
      await changePin(ctx, true);
    } },
  { path: 'PIN recovery confirmed', notice: { to: 'mobile', kind: 'pin_first_half' }, audit: 'pin_recovered',
    async change(ctx) {
      const recoveryCode = await pinRecoveryCode(ctx);
      expect2xx(await post(ctx.t, '/api/v1/recovery/pin/confirm', { codiceFiscale: ctx.citizen.codiceFiscale, recoveryCode }), 'confirmation');
    } },
  { path: 'PIN revoked by the citizen', notice: { to: 'email', kind: 'credential_changed' }, audit: 'pin_revoked',
    async change(ctx) {
      // From a PIN session (a temporary-password session may do nothing but change it, S23); that session ends with the PIN.
      const cookie = sessionCookieOf(await signInWithPin(ctx.t, ctx.citizen.codiceFiscale, ctx.pin));
      expect2xx(await post(ctx.t, '/api/v1/me/pin/revoke', undefined, { cookie }), 'revocation');
    } },
  { path: 'PIN revoked by the desk', notice: { to: 'email', kind: 'credential_changed' }, audit: 'pin_revoked',
    async change(ctx) {
      expect2xx(await post(ctx.t, `/api/v1/desk/accounts/${ctx.citizen.codiceFiscale}/pin/revoke`, undefined, bearer(ctx.operator)), 'revocation');
    } },
];

/** Records argon2 work done while any transaction is open (the test runs one request at a time). */
function watchHashingInTransactions(t: TestApp): { hashedInTransaction: string[] } {
  const watch = { hashedInTransaction: [] as string[] };
  let open = 0;
  const { db, hasher } = t.deps;
  const transaction = db.transaction.bind(db);
  db.transaction = async (work) => {
    open += 1;
    try { return await transaction(work); } finally { open -= 1; }
  };
  for (const name of ['hash', 'verify', 'verifyDummy'] as const) {
    const original = hasher[name].bind(hasher) as (...args: string[]) => Promise<unknown>;
    (hasher as unknown as Record<string, unknown>)[name] = (...args: string[]) => {
      if (open > 0) watch.hashedInTransaction.push(name);
      return original(...args);
    };
  }
  return watch;
}

async function preparedCitizen(t: TestApp, index: number, row: Row, operator: string): Promise<{ ctx: Ctx; link: string; code: string; other: string }> {
  const citizen = await registerPinCitizen(t, index);
  let ctx: Ctx;
  if (row.pin === 'initial') {
    await issueBySteps(t, citizen.codiceFiscale);
    ctx = { t, citizen, operator, pin: await issuedPin(t, citizen) };
    ctx.acting = sessionCookieOf(await signInWithPin(t, citizen.codiceFiscale, ctx.pin));
  } else {
    ctx = { t, citizen, operator, pin: await citizenWithActivePin(t, citizen) };
  }
  const link = await resetLink(ctx);
  // An initial PIN cannot be recovered through the API, so its outstanding code is planted the
  // way the recovery step makes one: what matters is that the change voids it.
  const account = (await findAccountByCodiceFiscale(t.deps.db, citizen.codiceFiscale))!;
  const code = row.pin === 'initial'
    ? (await t.deps.db.transaction((tx) => issueSecret(tx, t.deps, { purpose: 'pin_recovery_code', accountId: account.id, flowId: null,
      ttlSeconds: 24 * 3600 }))).secret
    : await pinRecoveryCode(ctx);
  return { ctx, link, code, other: await passwordSession(ctx) };
}

describe('S9: every credential change voids the links and codes issued before it', () => {
  let t: TestApp;
  let operator: string;
  let watch: { hashedInTransaction: string[] };
  before(async () => {
    t = await startTestApp({ LOCKOUT_THRESHOLD: '1000', RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '10000', RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100',
      RATE_LIMIT_CODE_ENTRY_PER_IP_PER_HOUR: '10000' });
    operator = await createOperator(t.app);
    watch = watchHashingInTransactions(t);
    await t.deps.db.transaction(() => t.deps.hasher.hash('the watch itself can fail'));
    assert.deepEqual(watch.hashedInTransaction, ['hash'], 'the watch sees a hash made inside a transaction');
  });
  after(() => t.close());

  rows.forEach((row, index) => {
    test(row.path, async () => {
      const { ctx, link, code, other } = await preparedCitizen(t, 300 + index, row, operator);
      const account = (await findAccountByCodiceFiscale(t.deps.db, ctx.citizen.codiceFiscale))!;
      const notices = await countOf(t, ctx.citizen[row.notice.to], row.notice.kind);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: other } })).statusCode, 200, 'the other session lives before');
      watch.hashedInTransaction.length = 0;

      await row.change(ctx);
      assert.deepEqual(watch.hashedInTransaction, [], 'no argon2 work while a transaction (and the audit chain lock) is open');

      const late = await post(t, '/api/v1/recovery/password/complete', { token: link, newPassword: 'Nuvola@Rosa-Vento9' });
      assert.deepEqual([late.statusCode, late.json().code], [410, 'token_invalid'], 'the earlier reset link is void');
      const halves = await countOf(t, ctx.citizen.mobile, 'pin_first_half');
      expect2xx(await post(t, '/api/v1/recovery/pin/confirm', { codiceFiscale: ctx.citizen.codiceFiscale, recoveryCode: code }), 'late confirmation');
      assert.equal(await countOf(t, ctx.citizen.mobile, 'pin_first_half'), halves, 'the earlier PIN recovery code issues no PIN');

      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: other } })).statusCode, 401, 'the other session ended (S22)');
      if (ctx.acting) {
        assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: ctx.acting } })).statusCode, 200, 'the acting session goes on');
      }
      assert.ok(await countOf(t, ctx.citizen[row.notice.to], row.notice.kind) > notices, `a ${row.notice.kind} notice (S30)`);
      const audited = await t.deps.db.query('SELECT 1 FROM audit_events WHERE account_id = $1 AND type = $2', [account.id, row.audit]);
      assert.ok(audited.rows.length > 0, `a ${row.audit} audit event (S31)`);
    });
  });
});

describe('S15: a credential issued by the desk clears the sign-in lock', () => {
  let t: TestApp;
  let operator: string;
  before(async () => { t = await startTestApp({ LOCKOUT_THRESHOLD: '3' }); operator = await createOperator(t.app); });
  after(() => t.close());

  test('a locked citizen signs in with the temporary password the desk just sent', async () => {
    const citizen = await registerPinCitizen(t, 400);
    const signIn = (password: string) => post(t, '/api/v1/session', { codiceFiscale: citizen.codiceFiscale, password });
    for (let i = 0; i < 3; i++) await signIn(`Sbagliata-${i}!A`);
    assert.equal((await signIn(temporaryPassword)).statusCode, 423, 'locked');
    expect2xx(await post(t, `/api/v1/desk/accounts/${citizen.codiceFiscale}/temporary-password`, { identityVerified: true, note: 'al telefono' },
      bearer(operator)), 'temporary password');
    const sent = await lastMatch(t, citizen.email, 'temporary_password', /:\n(\S+)\n/);
    const fresh = await signIn(sent);
    assert.deepEqual([fresh.statusCode, fresh.json().requiredActions], [200, ['change_password']]);
  });
});
