// Issuing and revoking PINs: S4 (16 characters over a look-alike-free alphabet, ≈ 93 bits),
// S5 (argon2id hash only), S9 (outstanding changes and recovery codes die), S22 (a new or
// revoked PIN ends the account's sessions), S31 (audit), S34 (an operator issues but never
// sees the PIN: the halves go to the registered mobile and email in the issuing transaction).
import { AppError } from '../../domain/errors.ts';
import { newInitialPin, splitPin } from '../../domain/pin.ts';
import type { AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { Queryable } from '../../store/db.ts';
import { deleteAccountSessions } from '../../store/sessions.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { killOpenChanges, removePin, storePin, voidRecoveryCodes } from './pin.repo.ts';

/** Issues a new 16-character PIN in two halves (SMS + email) and kills the old one. Caller owns the transaction. */
export async function issuePin(tx: Queryable, deps: FlowDeps, account: AccountRow, meta: RequestMeta, actor: string): Promise<void> {
  if (!account.mobile || !account.email) throw new AppError('conflict', {}, 'the account needs a registered mobile and email');
  const pin = newInitialPin(deps.random);
  const hash = await deps.hasher.hash(pin);
  const now = deps.clock.now();
  await storePin(tx, account.id, { hash, state: 'initial' }, now);
  await killOpenChanges(tx, account.id);
  await voidRecoveryCodes(tx, account.id, now);
  await deleteAccountSessions(tx, account.id); // a reset ends every session (S22)
  const { firstHalf, secondHalf } = splitPin(pin);
  await deps.outbox.enqueue(tx, { channel: 'sms', to: account.mobile, kind: 'pin_first_half', language: account.language, params: { half: firstHalf } });
  await deps.outbox.enqueue(tx, {
    channel: 'email', to: account.email, kind: 'pin_second_half', language: account.language,
    params: { half: secondHalf, signInUrl: `${deps.config.publicUrl}/signin?method=pin` },
  });
  await recordAudit(tx, now, { type: 'pin_issued', actor, accountId: account.id, ...meta, outcome: 'success' });
}

/**
 * Revokes the PIN: it never signs in again, and the sessions it may have opened end
 * (all of them, or all but the citizen's own when `keepSessionIdHash` is given).
 */
export async function revokePin(
  tx: Queryable, deps: FlowDeps, account: AccountRow, meta: RequestMeta, actor: string, keepSessionIdHash?: string,
): Promise<void> {
  const now = deps.clock.now();
  await removePin(tx, account.id, now);
  await killOpenChanges(tx, account.id);
  await voidRecoveryCodes(tx, account.id, now);
  await deleteAccountSessions(tx, account.id, keepSessionIdHash);
  await recordAudit(tx, now, { type: 'pin_revoked', actor, accountId: account.id, ...meta, outcome: 'success' });
}
