// "Password dimenticata": S2, S4–S10, S15 (recovery works while locked and clears the lock),
// S17, S18, S22, S26, S30, S31, S32 of SECURITY.md. Tokens and codes never leave this module
// except in an outbox message or the answer to the person who proved the code.
import { addSeconds } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { normaliseMobile } from '../../domain/phone.ts';
import { hashToken, newNumericCode, newToken } from '../../domain/secrets.ts';
import { findAccountByCodiceFiscale, findAccountById, type AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import { clearSignInGuard } from '../../store/sign-in-guards.repo.ts';
import { requireCaptcha } from '../captcha/captcha.steps.ts';
import type { Queryable } from '../../store/db.ts';
import type { FlowDeps } from '../deps.ts';
import { requireWithinLimit } from '../rate-limit.ts';
import { checkNewPassword, storeNewPassword } from '../password-change/password-change.steps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';
import {
  codeTtlSeconds, linkTtlSeconds, maxCodeAttempts, secondFactorSendsPerFlow, verifiedTokenTtlSeconds,
} from './password-recovery.state.ts';
import {
  consumeToken, countCodeAttempt, findFlowByToken, insertRecoveryFlow, killOpenFlows, markFlowDead,
  replaceSecondFactorCode, verifyFlowCode, type RecoveryFlowRow,
} from './recovery-flows.repo.ts';

export type RecoveryStart =
  | { codiceFiscale: string; channel: 'email'; email: string; captcha?: string }
  | { codiceFiscale: string; channel: 'sms'; mobile: string; captcha?: string };

type Contact = { channel: 'email'; email: string } | { channel: 'sms'; mobile: string };

const limit = (deps: FlowDeps, key: string, perHour: number) => requireWithinLimit(deps, key, perHour, 3600);

const looksLikeEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The contact as compared: emails trimmed and lower-cased, mobiles in E.164. */
function requireContact(start: RecoveryStart): Contact {
  const invalid = (field: string) => new AppError('invalid_request', { errors: [{ field, message: `not a valid ${field}` }] });
  if (start.channel === 'email') {
    const email = start.email.trim().toLowerCase();
    if (!looksLikeEmail.test(email)) throw invalid('email');
    return { channel: 'email', email };
  }
  const mobile = normaliseMobile(start.mobile);
  if (mobile === null) throw invalid('mobile');
  return { channel: 'sms', mobile };
}

function contactMatches(account: AccountRow | null, contact: Contact): account is AccountRow {
  if (!account) return false;
  if (contact.channel === 'email') return account.email?.trim().toLowerCase() === contact.email;
  return account.mobile !== null && normaliseMobile(account.mobile) === contact.mobile;
}

export async function startPasswordRecovery(deps: FlowDeps, start: RecoveryStart, meta: RequestMeta) {
  await requireCaptcha(deps, start.captcha);
  const codiceFiscale = requireCodiceFiscale(start.codiceFiscale);
  const contact = requireContact(start);
  await limit(deps, `recovery:ip:${meta.ip}`, deps.config.recoveryPerIpPerHour);
  await limit(deps, `recovery:cf:${codiceFiscale}`, deps.config.recoveryPerAccountPerHour);

  const account = await findAccountByCodiceFiscale(deps.db, codiceFiscale);
  const matched = contactMatches(account, contact) ? account : null;
  const now = deps.clock.now();
  const byEmail = contact.channel === 'email';
  // Derived from the channel only, so that it tells nothing about the account (S2).
  const expiresAt = addSeconds(now, byEmail ? linkTtlSeconds : codeTtlSeconds);
  const secondFactor = byEmail && deps.config.recoverySecondFactor === 'sms' && matched?.mobile_verified === true && matched.mobile !== null;
  // Unmatched requests walk the same path (the same secrets, the same slow hash, the same
  // insert and audit row) and simply enqueue nothing, so neither the answer nor its timing
  // tells whether anything matched (S2). Sending happens off the request path (outbox).
  const token = newToken(deps.random);
  const code = newNumericCode(deps.random, 6);
  const codeHash = await deps.hasher.hash(code);

  const flowId = await deps.db.transaction(async (tx) => {
    await killOpenFlows(tx, matched?.id ?? null);
    const id = await insertRecoveryFlow(tx, {
      accountId: matched?.id ?? null, channel: contact.channel, state: byEmail ? 'awaiting_link' : 'awaiting_code',
      codeHash: byEmail ? null : codeHash, needsCode: secondFactor, tokenHash: byEmail ? hashToken(token) : null, expiresAt,
    }, now);
    await recordAudit(tx, now, {
      type: 'password_recovery_started', actor: `citizen:${codiceFiscale}`, accountId: account?.id, ...meta,
      outcome: matched ? 'success' : 'refused', details: { channel: contact.channel, matched: Boolean(matched) },
    });
    if (matched) await sendRecoveryMessage(tx, deps, matched, byEmail ? { link: token } : { code });
    return id;
  });
  return { flowId, expiresAt: expiresAt.toISOString() };
}

async function sendRecoveryMessage(tx: Queryable, deps: FlowDeps, account: AccountRow, secret: { link: string } | { code: string }) {
  const language = account.language;
  if ('link' in secret && account.email) {
    await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'password_reset_link', language,
      params: { link: `${deps.config.publicUrl}/recovery/password/${secret.link}`, validMinutes: String(linkTtlSeconds / 60) } });
  }
  if ('code' in secret && account.mobile) {
    await deps.outbox.enqueue(tx, { channel: 'sms', to: account.mobile, kind: 'password_reset_code', language,
      params: { code: secret.code, validMinutes: String(codeTtlSeconds / 60) } });
  }
}

/** Counts one attempt, then checks the code; throws invalid_code with the attempts left, or flow_expired (S8, S10). */
async function checkFlowCode(deps: FlowDeps, flow: { id: string; secondFactor: boolean }, code: string, meta: RequestMeta) {
  const counted = await countCodeAttempt(deps.db, flow, maxCodeAttempts, deps.clock.now());
  if (!counted?.code_hash) throw new AppError('flow_expired');
  if (/^\d{6}$/.test(code) && (await deps.hasher.verify(counted.code_hash, code))) return counted;
  const attemptsLeft = maxCodeAttempts - counted.attempts;
  if (attemptsLeft === 0) await killAfterLastAttempt(deps, counted, meta);
  throw new AppError('invalid_code', { attemptsLeft });
}

async function killAfterLastAttempt(deps: FlowDeps, flow: RecoveryFlowRow, meta: RequestMeta): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await markFlowDead(tx, flow.id);
    await recordAudit(tx, deps.clock.now(), { type: 'password_recovery_failed', actor: 'citizen:unidentified', accountId: flow.account_id, ...meta,
      outcome: 'refused', details: { reason: 'too_many_codes', channel: flow.channel } });
  });
}

export async function submitRecoveryCode(deps: FlowDeps, input: { flowId: string; code: string }, meta: RequestMeta): Promise<{ token: string }> {
  await limit(deps, `code:ip:${meta.ip}`, deps.config.codeEntryPerIpPerHour);
  const flow = await checkFlowCode(deps, { id: input.flowId, secondFactor: false }, input.code, meta);
  const token = newToken(deps.random);
  const moved = await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    if (!(await verifyFlowCode(tx, flow.id, hashToken(token), addSeconds(now, verifiedTokenTtlSeconds)))) return false;
    await recordAudit(tx, now, { type: 'password_recovery_code_verified', actor: 'citizen:unidentified', accountId: flow.account_id, ...meta,
      outcome: 'success', details: { channel: flow.channel } });
    return true;
  });
  if (!moved) throw new AppError('flow_expired');
  return { token };
}

/** Why a token cannot be used, in the contract's words (410 token_used / token_expired / token_invalid). */
function tokenProblem(flow: RecoveryFlowRow | null, now: Date): AppError | null {
  if (!flow?.account_id) return new AppError('token_invalid');
  if (flow.token_used_at) return new AppError('token_used');
  if (!flow.token_expires_at || flow.token_expires_at <= now) return new AppError('token_expired');
  if (flow.state === 'dead' || flow.state === 'completed') return new AppError('token_invalid');
  return null;
}

async function requireUsableToken(deps: FlowDeps, token: string): Promise<RecoveryFlowRow & { account_id: string }> {
  const flow = await findFlowByToken(deps.db, hashToken(token));
  const problem = tokenProblem(flow, deps.clock.now());
  if (problem || !flow?.account_id) throw problem ?? new AppError('token_invalid');
  return { ...flow, account_id: flow.account_id };
}

/** The landing page checks a link without spending it (S25, S26: the page then holds it in a form). */
export async function inspectRecoveryToken(deps: FlowDeps, token: string): Promise<{ needsCode: boolean; codeSent: boolean }> {
  const flow = await requireUsableToken(deps, token);
  return { needsCode: flow.needs_code, codeSent: flow.needs_code && flow.state === 'awaiting_code' };
}

/** Second factor: whoever holds the link asks for the SMS code to the account's verified mobile. */
export async function sendSecondFactorCode(deps: FlowDeps, input: { token: string }, meta: RequestMeta): Promise<{ expiresAt: string }> {
  await limit(deps, `code:ip:${meta.ip}`, deps.config.codeEntryPerIpPerHour);
  const flow = await requireUsableToken(deps, input.token);
  if (!flow.needs_code) throw new AppError('invalid_request', { errors: [{ field: 'token', message: 'no second factor for this link' }] });
  await limit(deps, `recovery:second-factor:${flow.id}`, secondFactorSendsPerFlow);
  const account = await findAccountById(deps.db, flow.account_id);
  if (!account?.mobile) throw new AppError('token_invalid');
  const code = newNumericCode(deps.random, 6);
  const codeHash = await deps.hasher.hash(code);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const moved = await replaceSecondFactorCode(tx, hashToken(input.token), { codeHash, expiresAt: addSeconds(now, codeTtlSeconds) }, maxCodeAttempts, now);
    if (!moved) throw new AppError('flow_expired');
    await recordAudit(tx, now, { type: 'password_recovery_code_sent', actor: `citizen:${account.codice_fiscale}`, accountId: account.id, ...meta,
      outcome: 'success', details: { channel: 'sms' } });
    await sendRecoveryMessage(tx, deps, account, { code });
    return { expiresAt: moved.expires_at.toISOString() };
  });
}

export async function completePasswordRecovery(
  deps: FlowDeps,
  input: { token: string; newPassword: string; code?: string },
  meta: RequestMeta,
): Promise<void> {
  await limit(deps, `code:ip:${meta.ip}`, deps.config.codeEntryPerIpPerHour);
  const flow = await requireUsableToken(deps, input.token);
  const account = await findAccountById(deps.db, flow.account_id);
  if (!account) throw new AppError('token_invalid');
  // The policy comes first: a weak password spends neither the link nor a code attempt.
  const normalised = await checkNewPassword(deps, account, input.newPassword);
  if (flow.needs_code) await checkSecondFactor(deps, flow, input.code ?? '', meta);
  const passwordHash = await deps.hasher.hash(normalised);

  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    if (!(await consumeToken(tx, hashToken(input.token), now))) throw new AppError('token_used');
    await storeNewPassword(tx, deps, { account, passwordHash, event: 'password_reset', actor: `citizen:${account.codice_fiscale}` }, meta);
    await clearSignInGuard(tx, account.codice_fiscale, now);
  });
}

/** A second-factor link whose code was never sent, or has expired, asks for a new one without spending an attempt. */
async function checkSecondFactor(deps: FlowDeps, flow: RecoveryFlowRow, code: string, meta: RequestMeta): Promise<void> {
  const codeLive = flow.state === 'awaiting_code' && flow.expires_at > deps.clock.now();
  if (!codeLive) throw new AppError('invalid_code', { attemptsLeft: Math.max(0, maxCodeAttempts - flow.attempts), codeExpired: true });
  try {
    await checkFlowCode(deps, { id: flow.id, secondFactor: true }, code, meta);
  } catch (error) {
    // The link outlives its code: an expired code or exhausted budget reads as a dead link.
    if (error instanceof AppError && error.code === 'flow_expired') throw new AppError('token_invalid');
    throw error;
  }
}
