// Issuing and revoking PINs (S4, S5, S22, S34): the service generates the PIN, stores only
// its argon2id hash and sends it in two halves on two channels, in one transaction.
import { AppError } from '../../domain/errors.ts';
import { newInitialPin, splitPin } from '../../domain/pin.ts';
import type { AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { Queryable } from '../../store/db.ts';
import { deleteAccountSessions } from '../../store/sessions.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';

/** Issues a new 16-character PIN in two halves (SMS + email) and kills the old one. Caller owns the transaction. */
export async function issuePin(tx: Queryable, deps: FlowDeps, account: AccountRow, meta: RequestMeta, actor: string): Promise<void> {
  if (!account.mobile || !account.email) throw new AppError('conflict', {}, 'the account needs a registered mobile and email');
  const pin = newInitialPin(deps.random);
  const pinHash = await deps.hasher.hash(pin);
  const now = deps.clock.now();
  await tx.query(`UPDATE accounts SET pin_hash = $2, pin_state = 'initial', updated_at = $3 WHERE id = $1`, [account.id, pinHash, now]);
  await tx.query(`UPDATE pin_recovery_codes SET voided_at = $2 WHERE account_id = $1 AND used_at IS NULL AND voided_at IS NULL`, [account.id, now]);
  const { firstHalf, secondHalf } = splitPin(pin);
  await deps.outbox.enqueue(tx, { channel: 'sms', to: account.mobile, kind: 'pin_first_half', language: account.language, params: { half: firstHalf } });
  await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'pin_second_half', language: account.language,
    params: { half: secondHalf, signInUrl: `${deps.config.publicUrl}/signin?method=pin` } });
  await recordAudit(tx, now, { type: 'pin_issued', actor, accountId: account.id, ...meta, outcome: 'success' });
}

/** Revokes the PIN: it never signs in again, and sessions it may have opened end. */
export async function revokePin(tx: Queryable, deps: FlowDeps, account: AccountRow, meta: RequestMeta, actor: string, keepSessionIdHash?: string): Promise<void> {
  const now = deps.clock.now();
  await tx.query(`UPDATE accounts SET pin_hash = NULL, pin_state = 'revoked', updated_at = $2 WHERE id = $1`, [account.id, now]);
  await tx.query(`UPDATE pin_changes SET state = 'dead' WHERE account_id = $1 AND state = 'awaiting_confirmation'`, [account.id]);
  await tx.query(`UPDATE pin_recovery_codes SET voided_at = $2 WHERE account_id = $1 AND used_at IS NULL AND voided_at IS NULL`, [account.id, now]);
  await deleteAccountSessions(tx, account.id, keepSessionIdHash);
  await recordAudit(tx, now, { type: 'pin_revoked', actor, accountId: account.id, ...meta, outcome: 'success' });
}
