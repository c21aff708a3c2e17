// "Hai smarrito il tuo PIN?" (S2, S4–S9, S15): two registered contacts and the captcha start
// it; an 8-digit code by email, valid 24 hours, confirms it and a new PIN is issued in two
// halves. Nothing in the answers tells what matched.
import { addSeconds } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { normaliseMobile } from '../../domain/phone.ts';
import { newNumericCode } from '../../domain/secrets.ts';
import { findAccountByCodiceFiscale, type AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { Queryable } from '../../store/db.ts';
import { requireCaptcha } from '../captcha/captcha.steps.ts';
import type { FlowDeps } from '../deps.ts';
import { issuePin } from '../pin/pin-issue.steps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { limitByAddress, requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';
import { verifyWithLockout } from '../sign-in/verify-with-lockout.ts';

export const recoveryCodeTtlSeconds = 24 * 60 * 60; // 24 hours (S7)

export interface PinRecoveryStart {
  codiceFiscale: string;
  mobile?: string;
  email?: string;
  pec?: string;
  captcha?: string;
}

const sameAddress = (a: string | null, b: string | undefined) => Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase());

function matchingContacts(account: AccountRow | null, start: PinRecoveryStart): number {
  if (!account) return 0;
  const mobileMatches = Boolean(account.mobile && start.mobile && normaliseMobile(start.mobile) === account.mobile);
  return [mobileMatches, sameAddress(account.email, start.email), sameAddress(account.pec, start.pec)].filter(Boolean).length;
}

export async function startPinRecovery(deps: FlowDeps, start: PinRecoveryStart, meta: RequestMeta): Promise<void> {
  const given = [start.mobile, start.email, start.pec].filter((contact) => contact !== undefined && contact.trim() !== '');
  if (given.length < 2) throw new AppError('two_contacts_required');
  await requireCaptcha(deps, start.captcha);
  const codiceFiscale = requireCodiceFiscale(start.codiceFiscale);
  await limitByAddress(deps, 'pin-recovery', meta.ip, deps.config.recoveryPerIpPerHour);
  const limited = await deps.limiter.hit(`pin-recovery:cf:${codiceFiscale}`, deps.config.recoveryPerAccountPerHour, 3600, deps.clock.now());
  if (!limited.allowed) throw new AppError('rate_limited', { retryAfter: limited.retryAfterSeconds });

  const account = await findAccountByCodiceFiscale(deps.db, codiceFiscale);
  const matched = matchingContacts(account, start) >= 2 ? account : null;
  // Every request hashes a code, matched or not, so the answer takes the same time (S2).
  const code = newNumericCode(deps.random, 8);
  const codeHash = await deps.hasher.hash(code);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await recordAudit(tx, now, { type: 'pin_recovery_started', actor: `citizen:${codiceFiscale}`, accountId: account?.id, ...meta,
      outcome: matched ? 'success' : 'refused' });
    if (matched) await answerMatchedRequest(tx, deps, matched, code, codeHash, now);
  });
}

async function answerMatchedRequest(tx: Queryable, deps: FlowDeps, account: AccountRow, code: string, codeHash: string, now: Date): Promise<void> {
  if (!account.email) return;
  if (account.pin_state !== 'active') {
    await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'pin_recovery_not_possible', language: account.language,
      params: { requestUrl: `${deps.config.publicUrl}/assistance` } });
    return;
  }
  await tx.query(`UPDATE pin_recovery_codes SET voided_at = $2 WHERE account_id = $1 AND used_at IS NULL AND voided_at IS NULL`, [account.id, now]);
  await tx.query('INSERT INTO pin_recovery_codes (account_id, code_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)',
    [account.id, codeHash, addSeconds(now, recoveryCodeTtlSeconds), now]);
  await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'pin_recovery_code', language: account.language,
    params: { link: `${deps.config.publicUrl}/recovery/pin/confirm/${account.codice_fiscale}/${code}`, code, validHours: '24' } });
}

/**
 * A right code issues a new PIN; a wrong one counts toward the lockout like a wrong PIN.
 * The answer is the same either way: the outcome reaches the citizen by SMS and email.
 */
export async function confirmPinRecovery(deps: FlowDeps, input: { codiceFiscale: string; recoveryCode: string }, meta: RequestMeta): Promise<void> {
  const codiceFiscale = requireCodiceFiscale(input.codiceFiscale);
  await limitByAddress(deps, 'pin-recovery-confirm', meta.ip, deps.config.codeEntryPerIpPerHour);
  const account = await findAccountByCodiceFiscale(deps.db, codiceFiscale);
  const pending = account
    ? (await deps.db.query<{ id: string; code_hash: string }>(
        `SELECT id, code_hash FROM pin_recovery_codes WHERE account_id = $1 AND used_at IS NULL AND voided_at IS NULL AND expires_at > $2
         ORDER BY created_at DESC LIMIT 1`, [account.id, deps.clock.now()])).rows[0]
    : undefined;
  try {
    await verifyWithLockout(deps, { codiceFiscale, account, storedHash: pending?.code_hash ?? null, secret: input.recoveryCode }, meta);
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_credentials') return;
    throw error;
  }
  if (!account || !pending) return;
  await deps.db.transaction(async (tx) => {
    const used = await tx.query('UPDATE pin_recovery_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND voided_at IS NULL', [pending.id, deps.clock.now()]);
    if (used.rowCount !== 1) return; // a parallel confirmation already spent it (S6)
    await issuePin(tx, deps, account, meta, `citizen:${codiceFiscale}`);
  });
}
