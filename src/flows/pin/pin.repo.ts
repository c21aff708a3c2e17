// SQL of the PIN: the account's PIN columns, PIN changes and PIN recovery codes. Single use
// and attempt counting are one guarded statement each (S6, S8); parameters are always bound.
import type { Queryable } from '../../store/db.ts';
import type { PinState } from './pin.state.ts';

/** Stores a new PIN hash; only an issued or a confirmed PIN gets here. */
export async function storePin(tx: Queryable, accountId: string, pin: { hash: string; state: 'initial' | 'active' }, now: Date): Promise<void> {
  await tx.query('UPDATE accounts SET pin_hash = $2, pin_state = $3, updated_at = $4 WHERE id = $1', [accountId, pin.hash, pin.state, now]);
}

/** Removes the hash so nothing can sign in with it; an account that never had a PIN stays 'none'. */
export async function removePin(tx: Queryable, accountId: string, now: Date): Promise<PinState | null> {
  const result = await tx.query<{ pin_state: PinState }>(
    `UPDATE accounts SET pin_hash = NULL, updated_at = $2,
       pin_state = CASE WHEN pin_state = 'none' THEN 'none' ELSE 'revoked' END
     WHERE id = $1 RETURNING pin_state`,
    [accountId, now],
  );
  return result.rows[0]?.pin_state ?? null;
}

// ---- PIN changes -------------------------------------------------------------------------

export interface PinChangeRow {
  id: string;
  proposed_pin_hash: string;
  code_hash: string | null;
  attempts: number;
}

export async function killOpenChanges(tx: Queryable, accountId: string): Promise<void> {
  await tx.query(`UPDATE pin_changes SET state = 'dead' WHERE account_id = $1 AND state = 'awaiting_confirmation'`, [accountId]);
}

export async function insertChange(
  tx: Queryable,
  change: { accountId: string; sessionIdHash: string; proposedPinHash: string; codeHash: string | null; expiresAt: Date },
  now: Date,
): Promise<string> {
  const result = await tx.query<{ id: string }>(
    `INSERT INTO pin_changes (account_id, session_id_hash, proposed_pin_hash, code_hash, state, expires_at, created_at)
     VALUES ($1, $2, $3, $4, 'awaiting_confirmation', $5, $6) RETURNING id`,
    [change.accountId, change.sessionIdHash, change.proposedPinHash, change.codeHash, change.expiresAt, now],
  );
  return result.rows[0]!.id;
}

/**
 * The live change of this account, counting one code attempt when the change has a code.
 * Null when it is unknown, another account's, expired, finished or out of attempts.
 */
export async function takeChangeAttempt(
  db: Queryable,
  change: { id: string; accountId: string; maxAttempts: number },
  now: Date,
): Promise<PinChangeRow | null> {
  const result = await db.query<PinChangeRow>(
    `UPDATE pin_changes SET attempts = attempts + (CASE WHEN code_hash IS NULL THEN 0 ELSE 1 END)
     WHERE id = $1 AND account_id = $2 AND state = 'awaiting_confirmation' AND expires_at > $3 AND attempts < $4
     RETURNING id, proposed_pin_hash, code_hash, attempts`,
    [change.id, change.accountId, now, change.maxAttempts],
  );
  return result.rows[0] ?? null;
}

export async function markChangeDead(db: Queryable, changeId: string): Promise<void> {
  await db.query(`UPDATE pin_changes SET state = 'dead' WHERE id = $1 AND state = 'awaiting_confirmation'`, [changeId]);
}

/** Single use: true for the one caller that completed the change. */
export async function completeChange(tx: Queryable, changeId: string, now: Date): Promise<boolean> {
  const result = await tx.query(
    `UPDATE pin_changes SET state = 'completed' WHERE id = $1 AND state = 'awaiting_confirmation' AND expires_at > $2`,
    [changeId, now],
  );
  return result.rowCount === 1;
}

// ---- PIN recovery codes ------------------------------------------------------------------

export interface RecoveryCodeRow {
  id: string;
  code_hash: string;
  attempts: number;
}

/** S9: a newer code, a new PIN, a change or a revocation voids every outstanding code. */
export async function voidRecoveryCodes(tx: Queryable, accountId: string, now: Date): Promise<void> {
  await tx.query(
    'UPDATE pin_recovery_codes SET voided_at = $2 WHERE account_id = $1 AND used_at IS NULL AND voided_at IS NULL',
    [accountId, now],
  );
}

export async function insertRecoveryCode(tx: Queryable, code: { accountId: string; codeHash: string; expiresAt: Date }, now: Date): Promise<void> {
  await tx.query('INSERT INTO pin_recovery_codes (account_id, code_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)', [
    code.accountId, code.codeHash, code.expiresAt, now,
  ]);
}

/** Counts one attempt on the account's live code; null when there is none or it is out of attempts. */
export async function takeRecoveryAttempt(db: Queryable, accountId: string, maxAttempts: number, now: Date): Promise<RecoveryCodeRow | null> {
  const result = await db.query<RecoveryCodeRow>(
    `UPDATE pin_recovery_codes SET attempts = attempts + 1
     WHERE account_id = $1 AND used_at IS NULL AND voided_at IS NULL AND expires_at > $2 AND attempts < $3
     RETURNING id, code_hash, attempts`,
    [accountId, now, maxAttempts],
  );
  return result.rows[0] ?? null;
}

/** Single use: true for the one caller that spent the code. */
export async function spendRecoveryCode(tx: Queryable, codeId: string, now: Date): Promise<boolean> {
  const result = await tx.query(
    'UPDATE pin_recovery_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND voided_at IS NULL AND expires_at > $2',
    [codeId, now],
  );
  return result.rowCount === 1;
}
