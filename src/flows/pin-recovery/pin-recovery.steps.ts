// "Hai smarrito il tuo PIN?": S2 (the answer never tells what matched), S4–S9 (an 8-digit
// code, a one-time secret under a keyed HMAC, valid 24 hours, 5 attempts, single use, a newer
// one voids it),
// S15 (wrong codes count toward the lockout, a right one clears it), S17, S18, S31.
// Two given contacts must match the registered ones; the code goes by email only, and its
// confirmation issues a new 16-character PIN in two halves.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';
import { normaliseMobile } from '../../domain/phone.ts';
import { findAccountByCodiceFiscale, type AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { Queryable } from '../../store/db.ts';
import { requireCaptcha } from '../captcha/captcha.steps.ts';
import type { FlowDeps } from '../deps.ts';
import { requireWithinLimit } from '../rate-limit.ts';
import { codeMatches, consumeSecret, countAttempt, issueSecret, voidSecrets } from '../credentials/one-time-secret.ts';
import { preparePin, storeIssuedPin } from '../pin/pin-issue.steps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { securityAnswerHolds } from '../profile-completion/security-answer-factor.ts';
import { requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';
import { verifyWithLockout } from '../sign-in/verify-with-lockout.ts';
import { carryOutPendingStarts, handleRecoveryStarts, recordRecoveryStart, type RecoveryStartRow } from '../credentials/recovery-starts.ts';

export const recoveryCodeTtlSeconds = 24 * 60 * 60; // 24 hours (S7)
export const recoveryCodeDigits = 8;
export const maxRecoveryAttempts = 5; // S8: then the code is dead and a new request is needed
const noAccount = '00000000-0000-0000-0000-000000000000';

export interface PinRecoveryStart {
  codiceFiscale: string;
  mobile?: string;
  email?: string;
  pec?: string;
  captcha?: string;
}

const given = (contact: string | undefined): contact is string => contact !== undefined && contact.trim() !== '';
const sameAddress = (registered: string | null, offered: string | undefined) =>
  registered !== null && given(offered) && registered.trim().toLowerCase() === offered.trim().toLowerCase();

/** How many of the given contacts are the registered ones: mobile in E.164, addresses case-insensitively. */
export function matchingContacts(account: Pick<AccountRow, 'mobile' | 'email' | 'pec'>, start: Omit<PinRecoveryStart, 'codiceFiscale'>): number {
  const mobileMatches = account.mobile !== null && given(start.mobile) && normaliseMobile(start.mobile) === account.mobile;
  return [mobileMatches, sameAddress(account.email, start.email), sameAddress(account.pec, start.pec)].filter(Boolean).length;
}

const limitPerHour = (deps: FlowDeps, key: string, perHour: number) => requireWithinLimit(deps, key, perHour, 3600);

export async function startPinRecovery(deps: FlowDeps, start: PinRecoveryStart, meta: RequestMeta): Promise<void> {
  if ([start.mobile, start.email, start.pec].filter(given).length < 2) throw new AppError('two_contacts_required');
  await requireCaptcha(deps, start.captcha);
  const codiceFiscale = requireCodiceFiscale(start.codiceFiscale);
  await limitPerHour(deps, `pin-recovery:ip:${meta.ip}`, deps.config.recoveryPerIpPerHour);
  await limitPerHour(deps, `pin-recovery:cf:${codiceFiscale}`, deps.config.recoveryPerAccountPerHour);

  // S2: on the request path every start only records itself; what matched is found out by
  // carryOutPinRecovery, off the request path.
  const contacts = { mobile: start.mobile ?? null, email: start.email ?? null, pec: start.pec ?? null };
  await recordRecoveryStart(deps, { id: randomUUID(), kind: 'pin', request: { codiceFiscale, ...contacts }, requestedAt: deps.clock.now() }, meta);
}

/** The recovery-start worker's part: matched or not, the same voiding statement and audit row; only a match sends. */
async function carryOutPinRecovery(tx: Queryable, deps: FlowDeps, start: RecoveryStartRow): Promise<void> {
  const { codiceFiscale, mobile, email, pec } = start.request as { codiceFiscale: string; mobile: string | null; email: string | null; pec: string | null };
  const meta = { ip: start.ip, userAgent: start.user_agent };
  const account = await findAccountByCodiceFiscale(tx, codiceFiscale);
  const given = { ...(mobile ? { mobile } : {}), ...(email ? { email } : {}), ...(pec ? { pec } : {}) };
  const matched = account && matchingContacts(account, given) >= 2 ? account : null;
  const now = deps.clock.now();
  await voidSecrets(tx, { accountId: matched?.id ?? noAccount }, ['pin_recovery_code'], now);
  await recordAudit(tx, now, { type: 'pin_recovery_started', actor: `citizen:${codiceFiscale}`, accountId: account?.id, ...meta,
    outcome: matched ? 'success' : 'refused', details: { matched: matched !== null } });
  if (matched) await answerMatchedRequest(tx, deps, matched);
}
handleRecoveryStarts('pin', carryOutPinRecovery);

/** Only a PIN whose first access was completed can be recovered; otherwise it must be revoked and requested again. */
async function answerMatchedRequest(tx: Queryable, deps: FlowDeps, account: AccountRow) {
  if (!account.email) return;
  const { language } = account;
  if (account.pin_state !== 'active' || !account.mobile) {
    await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'pin_recovery_not_possible', language,
      params: { requestUrl: `${deps.config.publicUrl}/recovery/pin/not-possible` } });
    return;
  }
  const { secret: code } = await issueSecret(tx, deps, { purpose: 'pin_recovery_code', accountId: account.id, flowId: null,
    ttlSeconds: recoveryCodeTtlSeconds, maxAttempts: maxRecoveryAttempts });
  // S26: the code travels in the path (the logger masks it); the landing page only pre-fills the form.
  await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'pin_recovery_code', language,
    params: { link: `${deps.config.publicUrl}/recovery/pin/confirm/${code}`, code, validHours: String(recoveryCodeTtlSeconds / 3600) } });
}

/**
 * A right code issues a new PIN; a wrong one counts toward the lockout like a wrong PIN.
 * Every well-formed request answers the same (202) whatever happened: the outcome reaches
 * the citizen by SMS and email. Only a lock shows (423), as for unknown codici fiscali (S3).
 */
export async function confirmPinRecovery(
  deps: FlowDeps, input: { codiceFiscale: string; recoveryCode: string; securityAnswer?: string }, meta: RequestMeta,
): Promise<void> {
  const codiceFiscale = requireCodiceFiscale(input.codiceFiscale);
  await limitPerHour(deps, `pin-recovery-confirm:ip:${meta.ip}`, deps.config.codeEntryPerIpPerHour);
  await carryOutPendingStarts(deps, 'pin', { codiceFiscale }); // a newer request voids this code (S9): carried out first
  const account = await findAccountByCodiceFiscale(deps.db, codiceFiscale);
  // The same counting statement and the same HMAC comparison for every request, known
  // account or not (S2, S3); the lockout counts the attempt before the comparison (S15).
  const pending = await countAttempt(deps.db, { purpose: 'pin_recovery_code', accountId: account?.id ?? noAccount }, deps.clock.now());
  try {
    // With a security question its answer must come with the code (never alone): a right code
    // with a wrong answer is one failure toward the lockout.
    await verifyWithLockout(deps, { codiceFiscale, account,
      check: async () => codeMatches(deps, pending, input.recoveryCode) && (await securityAnswerHolds(deps, account, input.securityAnswer)) }, meta);
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_credentials') return;
    throw error;
  }
  if (!account || !pending) return;
  const prepared = await preparePin(deps); // the slow hash before the transaction, never under the audit chain lock
  await deps.db.transaction(async (tx) => {
    if (!(await consumeSecret(tx, pending.id, deps.clock.now()))) return; // a parallel confirmation spent it (S6)
    await storeIssuedPin(tx, deps, account, prepared, { kind: 'pin_recovery', actor: `citizen:${codiceFiscale}` }, meta);
  });
}
