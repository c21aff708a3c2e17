// "Password dimenticata": S2, S4–S10, S15 (recovery works while locked and clears the lock),
// S17, S18, S22, S26, S30, S31, S32 of SECURITY.md. The link and the codes are one-time
// secrets (credentials/one-time-secret.ts); the flow row holds the state, moved only along
// password-recovery.state.ts. Tokens and codes never leave this module except in an outbox
// message or the answer to the person who proved the code.
import { randomUUID } from 'node:crypto';
import { addSeconds } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { normaliseMobile } from '../../domain/phone.ts';
import { findAccountByCodiceFiscale, findAccountById, type AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import { requireCaptcha } from '../captcha/captcha.steps.ts';
import type { Queryable } from '../../store/db.ts';
import type { FlowDeps } from '../deps.ts';
import { requireWithinLimit } from '../rate-limit.ts';
import { checkNewPassword, storeNewPassword } from '../password-change/password-change.steps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { requireSecurityAnswer } from '../profile-completion/security-answer-factor.ts';
import { requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';
import { carryOutPendingStarts, handleRecoveryStarts, recordRecoveryStart, type RecoveryStartRow } from '../credentials/recovery-starts.ts';
import {
  attemptsSpent, codeMatches, consumeSecret, countAttempt, findLink, issueSecret, linkProblem, liveSecret, voidFlowSecrets, voidSecrets,
  type SecretPurpose, type SecretRow,
} from '../credentials/one-time-secret.ts';
import {
  codeTtlSeconds, linkTtlSeconds, maxCodeAttempts, openStates, secondFactorSendsPerFlow, verifiedTokenTtlSeconds,
} from './password-recovery.state.ts';
import { findFlow, insertRecoveryFlow, killOpenFlows, moveFlow, type RecoveryFlowRow } from './recovery-flows.repo.ts';

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

/** Every secret a recovery flow hands out: a new request voids them all (S9). */
const recoveryPurposes: readonly SecretPurpose[] = ['password_reset_link', 'password_reset_code', 'password_second_factor_code'];

/**
 * S2: on the request path every start does the same — checks, limits, one recorded row —
 * and answers the flow id and expiry, derived from the channel only. What matched is found
 * out by carryOutPasswordRecovery, off the request path.
 */
export async function startPasswordRecovery(deps: FlowDeps, start: RecoveryStart, meta: RequestMeta) {
  await requireCaptcha(deps, start.captcha);
  const codiceFiscale = requireCodiceFiscale(start.codiceFiscale);
  const contact = requireContact(start);
  await limit(deps, `recovery:ip:${meta.ip}`, deps.config.recoveryPerIpPerHour);
  await limit(deps, `recovery:cf:${codiceFiscale}`, deps.config.recoveryPerAccountPerHour);
  const now = deps.clock.now();
  const flowId = randomUUID();
  const expiresAt = addSeconds(now, contact.channel === 'email' ? linkTtlSeconds : codeTtlSeconds);
  await recordRecoveryStart(deps, { id: flowId, kind: 'password', request: { codiceFiscale, contact }, requestedAt: now }, meta);
  return { flowId, expiresAt: expiresAt.toISOString() };
}

/** The recovery-start worker's part: the flow, its secret, the audit event, and a message only when the contact matched. */
async function carryOutPasswordRecovery(tx: Queryable, deps: FlowDeps, start: RecoveryStartRow): Promise<void> {
  const { codiceFiscale, contact } = start.request as { codiceFiscale: string; contact: Contact };
  const meta = { ip: start.ip, userAgent: start.user_agent };
  const account = await findAccountByCodiceFiscale(tx, codiceFiscale);
  const matched = contactMatches(account, contact) ? account : null;
  const now = deps.clock.now();
  const byEmail = contact.channel === 'email';
  const ttlSeconds = byEmail ? linkTtlSeconds : codeTtlSeconds;
  const expiresAt = addSeconds(start.requested_at, ttlSeconds);
  const secondFactor = byEmail && deps.config.recoverySecondFactor === 'sms' && matched?.mobile_verified === true && matched.mobile !== null;
  // Unmatched starts get a flow and a secret too, so that their flows take codes like real ones.
  const accountId = matched?.id ?? null;
  await killOpenFlows(tx, accountId);
  await voidSecrets(tx, { accountId }, recoveryPurposes, now);
  const id = await insertRecoveryFlow(tx, {
    id: start.id, accountId, channel: contact.channel, state: byEmail ? 'awaiting_link' : 'awaiting_code', needsCode: secondFactor, expiresAt,
  }, now);
  const issued = await issueSecret(tx, deps, {
    purpose: byEmail ? 'password_reset_link' : 'password_reset_code', accountId, flowId: id, ttlSeconds, maxAttempts: maxCodeAttempts,
  });
  await recordAudit(tx, now, {
    type: 'password_recovery_started', actor: `citizen:${codiceFiscale}`, accountId: account?.id, ...meta,
    outcome: matched ? 'success' : 'refused', details: { channel: contact.channel, matched: Boolean(matched) },
  });
  if (matched) await sendRecoveryMessage(tx, deps, matched, byEmail ? { link: issued.secret } : { code: issued.secret });
}
handleRecoveryStarts('password', carryOutPasswordRecovery);

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

type CodePurpose = 'password_reset_code' | 'password_second_factor_code';

/**
 * Counts one attempt, then checks the code; throws invalid_code with the attempts left, or
 * flow_expired (S8, S10). The purpose keeps the SMS channel and the second factor apart: a
 * second-factor code cannot stand in for a link through the SMS-channel path.
 */
async function checkFlowCode(deps: FlowDeps, flowId: string, purpose: CodePurpose, code: string, meta: RequestMeta): Promise<SecretRow> {
  const counted = await countAttempt(deps.db, { purpose, flowId }, deps.clock.now());
  if (!counted) throw new AppError('flow_expired');
  if (codeMatches(deps, counted, code)) return counted;
  const attemptsLeft = Math.max(0, maxCodeAttempts - counted.attempts);
  if (attemptsLeft === 0) await killAfterLastAttempt(deps, flowId, meta);
  throw new AppError('invalid_code', { attemptsLeft });
}

async function killAfterLastAttempt(deps: FlowDeps, flowId: string, meta: RequestMeta): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const flow = await moveFlow(tx, flowId, 'dead');
    await voidFlowSecrets(tx, flowId, now); // the link of a second-factor flow dies with its codes
    await recordAudit(tx, now, { type: 'password_recovery_failed', actor: 'citizen:unidentified', accountId: flow?.account_id ?? null, ...meta,
      outcome: 'refused', details: { reason: 'too_many_codes', channel: flow?.channel ?? null } });
  });
}

export async function submitRecoveryCode(deps: FlowDeps, input: { flowId: string; code: string }, meta: RequestMeta): Promise<{ token: string }> {
  await limit(deps, `code:ip:${meta.ip}`, deps.config.codeEntryPerIpPerHour);
  await carryOutPendingStarts(deps, 'password', { flowId: input.flowId }); // a code faster than the worker: its start first
  const code = await checkFlowCode(deps, input.flowId, 'password_reset_code', input.code, meta);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const tokenExpiresAt = addSeconds(now, verifiedTokenTtlSeconds);
    const flow = (await consumeSecret(tx, code.id, now)) && (await moveFlow(tx, input.flowId, 'code_verified', { needsCode: false, expiresAt: tokenExpiresAt }));
    if (!flow) throw new AppError('flow_expired');
    const token = await issueSecret(tx, deps, {
      purpose: 'password_reset_link', accountId: flow.account_id, flowId: flow.id, ttlSeconds: verifiedTokenTtlSeconds,
    });
    await recordAudit(tx, now, { type: 'password_recovery_code_verified', actor: 'citizen:unidentified', accountId: flow.account_id, ...meta,
      outcome: 'success', details: { channel: flow.channel } });
    return { token: token.secret };
  });
}

interface UsableLink {
  link: SecretRow;
  flow: RecoveryFlowRow & { account_id: string };
}

/** The link and its flow, or the contract's reason why not (410 token_used / token_expired / token_invalid). */
async function requireUsableToken(deps: FlowDeps, token: string): Promise<UsableLink> {
  let link = await findLink(deps.db, 'password_reset_link', token);
  // A newer start of the same citizen, not yet carried out, voids this link (S9): first carry it out.
  if (link?.flow_id && (await carryOutPendingStarts(deps, 'password', { flowId: link.flow_id })) > 0) {
    link = await findLink(deps.db, 'password_reset_link', token);
  }
  const flow = link?.flow_id ? await findFlow(deps.db, link.flow_id) : null;
  const problem = linkProblem(link, deps.clock.now());
  if (problem) throw new AppError(problem);
  if (!link || !flow?.account_id || !openStates.includes(flow.state)) throw new AppError('token_invalid');
  return { link, flow: { ...flow, account_id: flow.account_id } };
}

/** The landing page checks a link without spending it (S25, S26: the page then holds it in a form). */
export async function inspectRecoveryToken(deps: FlowDeps, token: string): Promise<{ needsCode: boolean; codeSent: boolean }> {
  const { flow } = await requireUsableToken(deps, token);
  return { needsCode: flow.needs_code, codeSent: flow.needs_code && flow.state === 'awaiting_code' };
}

/** Second factor: whoever holds the link asks for the SMS code to the account's verified mobile. */
export async function sendSecondFactorCode(deps: FlowDeps, input: { token: string }, meta: RequestMeta): Promise<{ expiresAt: string }> {
  await limit(deps, `code:ip:${meta.ip}`, deps.config.codeEntryPerIpPerHour);
  const { link, flow } = await requireUsableToken(deps, input.token);
  if (!flow.needs_code) throw new AppError('invalid_request', { errors: [{ field: 'token', message: 'no second factor for this link' }] });
  await limit(deps, `recovery:second-factor:${flow.id}`, secondFactorSendsPerFlow);
  const account = await findAccountById(deps.db, flow.account_id);
  if (!account?.mobile) throw new AppError('token_invalid');
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    if (!(await moveFlow(tx, flow.id, 'awaiting_code', { needsCode: true }))) throw new AppError('flow_expired');
    // A new code voids the previous one (S9), keeps the attempts spent (S8) and never outlives the link (S7).
    const code = await issueSecret(tx, deps, {
      purpose: 'password_second_factor_code', accountId: account.id, flowId: flow.id, ttlSeconds: codeTtlSeconds, notAfter: link.expires_at,
      maxAttempts: maxCodeAttempts,
    });
    await recordAudit(tx, now, { type: 'password_recovery_code_sent', actor: `citizen:${account.codice_fiscale}`, accountId: account.id, ...meta,
      outcome: 'success', details: { channel: 'sms' } });
    await sendRecoveryMessage(tx, deps, account, { code: code.secret });
    return { expiresAt: code.expiresAt.toISOString() };
  });
}

export async function completePasswordRecovery(
  deps: FlowDeps,
  input: { token: string; newPassword: string; code?: string; securityAnswer?: string },
  meta: RequestMeta,
): Promise<void> {
  await limit(deps, `code:ip:${meta.ip}`, deps.config.codeEntryPerIpPerHour);
  const { link, flow } = await requireUsableToken(deps, input.token);
  const account = await findAccountById(deps.db, flow.account_id);
  if (!account) throw new AppError('token_invalid');
  // The policy comes first: a weak password spends neither the link nor a code attempt.
  const normalised = await checkNewPassword(deps, account, input.newPassword);
  const code = flow.needs_code ? await checkSecondFactor(deps, flow, input.code ?? '', meta) : null;
  await requireSecurityAnswer(deps, account, input.securityAnswer, meta); // beside the link, never instead of it
  const passwordHash = await deps.hasher.hash(normalised); // before the transaction: no argon2 under the audit lock

  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    if (!(await consumeSecret(tx, link.id, now))) throw new AppError('token_used'); // a parallel completion won (S6)
    if (code && !(await consumeSecret(tx, code.id, now))) throw new AppError('token_invalid');
    if (!(await moveFlow(tx, flow.id, 'completed'))) throw new AppError('token_used');
    await storeNewPassword(tx, deps, { account, passwordHash, kind: 'password_recovery', actor: `citizen:${account.codice_fiscale}` }, meta);
  });
}

/** A second-factor link whose code was never sent, or has expired, asks for a new one without spending an attempt. */
async function checkSecondFactor(deps: FlowDeps, flow: RecoveryFlowRow, code: string, meta: RequestMeta): Promise<SecretRow> {
  const purpose = 'password_second_factor_code';
  if (!(await liveSecret(deps.db, { purpose, flowId: flow.id }, deps.clock.now()))) {
    const attemptsLeft = Math.max(0, maxCodeAttempts - (await attemptsSpent(deps.db, flow.id, purpose)));
    throw new AppError('invalid_code', { attemptsLeft, codeExpired: true });
  }
  try {
    return await checkFlowCode(deps, flow.id, purpose, code, meta);
  } catch (error) {
    // The link outlives its code: an exhausted budget or a code gone meanwhile reads as a dead link.
    if (error instanceof AppError && error.code === 'flow_expired') throw new AppError('token_invalid');
    throw error;
  }
}
