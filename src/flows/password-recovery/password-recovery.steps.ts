// "Password dimenticata": S2, S4–S10, S15 (recovery works while locked and clears the lock),
// S17, S18, S26, S30, S31 of SECURITY.md.
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
import { checkNewPassword, storeNewPassword } from '../password-change/password-change.steps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';
import { codeTtlSeconds, linkTtlSeconds, maxCodeAttempts, verifiedTokenTtlSeconds } from './password-recovery.state.ts';
import {
  consumeToken, countCodeAttempt, findFlowByToken, insertRecoveryFlow, killOpenFlows, markFlowDead, verifyFlowCode,
  type RecoveryFlowRow,
} from './recovery-flows.repo.ts';

export type RecoveryStart =
  | { codiceFiscale: string; channel: 'email'; email: string; captcha?: string }
  | { codiceFiscale: string; channel: 'sms'; mobile: string; captcha?: string };

async function limit(deps: FlowDeps, key: string, perHour: number): Promise<void> {
  const decision = await deps.limiter.hit(key, perHour, 3600, deps.clock.now());
  if (!decision.allowed) throw new AppError('rate_limited', { retryAfter: decision.retryAfterSeconds });
}

function contactMatches(account: AccountRow | null, start: RecoveryStart): account is AccountRow {
  if (!account) return false;
  if (start.channel === 'email') return account.email !== null && account.email.trim().toLowerCase() === start.email.trim().toLowerCase();
  return account.mobile !== null && normaliseMobile(start.mobile) === account.mobile;
}

export async function startPasswordRecovery(deps: FlowDeps, start: RecoveryStart, meta: RequestMeta) {
  await requireCaptcha(deps, start.captcha);
  const codiceFiscale = requireCodiceFiscale(start.codiceFiscale);
  if (start.channel === 'sms' && normaliseMobile(start.mobile) === null) {
    throw new AppError('invalid_request', { errors: [{ field: 'mobile', message: 'not a valid mobile number' }] });
  }
  await limit(deps, `recovery:ip:${meta.ip}`, deps.config.recoveryPerIpPerHour);
  await limit(deps, `recovery:cf:${codiceFiscale}`, deps.config.recoveryPerAccountPerHour);

  const account = await findAccountByCodiceFiscale(deps.db, codiceFiscale);
  const matched = contactMatches(account, start) ? account : null;
  const now = deps.clock.now();
  const byEmail = start.channel === 'email';
  const expiresAt = addSeconds(now, byEmail ? linkTtlSeconds : codeTtlSeconds);
  const secondFactor = byEmail && deps.config.recoverySecondFactor === 'sms' && matched?.mobile_verified === true;
  // Unmatched requests walk the same path (the same hashing, the same insert) and simply
  // send nothing, so neither the answer nor its timing tells whether anything matched (S2).
  const token = newToken(deps.random);
  const code = newNumericCode(deps.random, 6);
  const codeHash = await deps.hasher.hash(code);

  const flowId = await deps.db.transaction(async (tx) => {
    await killOpenFlows(tx, matched?.id ?? null);
    const id = await insertRecoveryFlow(tx, {
      accountId: matched?.id ?? null, channel: start.channel, state: byEmail ? 'awaiting_link' : 'awaiting_code',
      codeHash: byEmail && !secondFactor ? null : codeHash, needsCode: secondFactor, tokenHash: byEmail ? hashToken(token) : null, expiresAt,
    }, now);
    await recordAudit(tx, now, {
      type: 'password_recovery_started', actor: `citizen:${codiceFiscale}`, accountId: account?.id, ...meta,
      outcome: matched ? 'success' : 'refused', details: { channel: start.channel, matched: Boolean(matched) },
    });
    if (matched) await sendRecoveryMessages(tx, deps, matched, { byEmail, secondFactor, token, code });
    return id;
  });
  return { flowId, expiresAt: expiresAt.toISOString() };
}

async function sendRecoveryMessages(
  tx: Queryable,
  deps: FlowDeps,
  account: AccountRow,
  secret: { byEmail: boolean; secondFactor: boolean; token: string; code: string },
): Promise<void> {
  const language = account.language;
  if (secret.byEmail && account.email) {
    await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'password_reset_link', language,
      params: { link: `${deps.config.publicUrl}/recovery/password/${secret.token}`, validMinutes: String(linkTtlSeconds / 60) } });
  }
  if ((!secret.byEmail || secret.secondFactor) && account.mobile) {
    await deps.outbox.enqueue(tx, { channel: 'sms', to: account.mobile, kind: 'password_reset_code', language,
      params: { code: secret.code, validMinutes: String((secret.byEmail ? linkTtlSeconds : codeTtlSeconds) / 60) } });
  }
}

/** Counts one code attempt and checks it; throws invalid_code with the attempts left, or flow_expired. */
async function checkFlowCode(deps: FlowDeps, flowId: string, states: ('awaiting_code' | 'awaiting_link')[], code: string): Promise<RecoveryFlowRow> {
  const flow = await countCodeAttempt(deps.db, flowId, states, maxCodeAttempts, deps.clock.now());
  if (!flow || !flow.code_hash) throw new AppError('flow_expired');
  if (/^\d{6}$/.test(code) && (await deps.hasher.verify(flow.code_hash, code))) return flow;
  const attemptsLeft = maxCodeAttempts - flow.attempts;
  if (attemptsLeft === 0) await markFlowDead(deps.db, flowId);
  throw new AppError('invalid_code', { attemptsLeft });
}

export async function submitRecoveryCode(deps: FlowDeps, input: { flowId: string; code: string }, meta: RequestMeta): Promise<{ token: string }> {
  await limit(deps, `code:ip:${meta.ip}`, deps.config.codeEntryPerIpPerHour);
  const flow = await checkFlowCode(deps, input.flowId, ['awaiting_code'], input.code);
  const token = newToken(deps.random);
  const moved = await verifyFlowCode(deps.db, flow.id, hashToken(token), addSeconds(deps.clock.now(), verifiedTokenTtlSeconds));
  if (!moved) throw new AppError('flow_expired');
  return { token };
}

/** Why a token cannot be used, in the contract's words (410 token_used / token_expired / token_invalid). */
function tokenProblem(flow: RecoveryFlowRow | null, now: Date): AppError | null {
  if (!flow || !flow.account_id) return new AppError('token_invalid');
  if (flow.token_used_at) return new AppError('token_used');
  if (!flow.token_expires_at || flow.token_expires_at <= now) return new AppError('token_expired');
  if (flow.state !== 'awaiting_link' && flow.state !== 'code_verified') return new AppError('token_invalid');
  return null;
}

/** The landing page checks a link without spending it (S26: the page then holds it in a form). */
export async function inspectRecoveryToken(deps: FlowDeps, token: string): Promise<{ needsCode: boolean }> {
  const flow = await findFlowByToken(deps.db, hashToken(token));
  const problem = tokenProblem(flow, deps.clock.now());
  if (problem) throw problem;
  return { needsCode: Boolean(flow?.needs_code) };
}

export async function completePasswordRecovery(
  deps: FlowDeps,
  input: { token: string; newPassword: string; code?: string },
  meta: RequestMeta,
): Promise<void> {
  await limit(deps, `code:ip:${meta.ip}`, deps.config.codeEntryPerIpPerHour);
  const tokenHash = hashToken(input.token);
  const flow = await findFlowByToken(deps.db, tokenHash);
  const problem = tokenProblem(flow, deps.clock.now());
  if (problem || !flow?.account_id) throw problem ?? new AppError('token_invalid');
  if (flow.needs_code) await checkFlowCode(deps, flow.id, ['awaiting_link'], input.code ?? '');
  const account = await findAccountById(deps.db, flow.account_id);
  if (!account) throw new AppError('token_invalid');
  const normalised = await checkNewPassword(deps, account, input.newPassword);
  const passwordHash = await deps.hasher.hash(normalised);

  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    if (!(await consumeToken(tx, tokenHash, now))) throw new AppError('token_used');
    await killOpenFlows(tx, account.id, flow.id);
    await storeNewPassword(tx, deps, { account, passwordHash, event: 'password_reset', actor: `citizen:${account.codice_fiscale}` }, meta);
    await clearSignInGuard(tx, account.codice_fiscale, now);
  });
}
