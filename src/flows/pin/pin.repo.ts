// SQL of the PIN: the account's PIN columns and PIN changes. Their verification codes and the
// PIN recovery codes are one-time secrets (credentials/one-time-secret.ts). Every move is one
// guarded statement whose precondition comes from pin.state.ts (S6); parameters are bound.
import type { Queryable } from '../../store/db.ts';
import { changeStatesMovingTo, pinStatesMovingTo, type PinState } from './pin.state.ts';

/** Stores a new PIN hash when the table allows the move; only an issued or a confirmed PIN gets here. */
export async function storePin(tx: Queryable, accountId: string, pin: { hash: string; state: 'initial' | 'active' }, now: Date): Promise<boolean> {
  const result = await tx.query(
    'UPDATE accounts SET pin_hash = $2, pin_state = $3, updated_at = $4 WHERE id = $1 AND pin_state = ANY($5)',
    [accountId, pin.hash, pin.state, now, pinStatesMovingTo(pin.state)],
  );
  return result.rowCount === 1;
}

/** Removes the hash so nothing can sign in with it; an account that never had a PIN stays 'none'. */
export async function removePin(tx: Queryable, accountId: string, now: Date): Promise<PinState | null> {
  const result = await tx.query<{ pin_state: PinState }>(
    `UPDATE accounts SET pin_hash = NULL, updated_at = $2,
       pin_state = CASE WHEN pin_state = ANY($3) THEN 'revoked' ELSE pin_state END
     WHERE id = $1 RETURNING pin_state`,
    [accountId, now, pinStatesMovingTo('revoked')],
  );
  return result.rows[0]?.pin_state ?? null;
}

// ---- PIN changes -------------------------------------------------------------------------

export interface PinChangeRow {
  id: string;
  proposed_pin_hash: string;
  /** False at first access: the session opened with the initial PIN is the proof. */
  needs_code: boolean;
}

/** The statement of killOpenChanges, its parameters named by the caller (after-change.repo.ts makes it part of one). */
export const killOpenChangesSql = (p: { accountId: string; openStates: string }): string =>
  `UPDATE pin_changes SET state = 'dead' WHERE account_id = ${p.accountId} AND state = ANY(${p.openStates})`;

/** The states a pending PIN change can die from. */
export const openChangeStates = changeStatesMovingTo('dead');

/** S9: a newer proposal, a new PIN, a revocation or any credential change kills the open ones. */
export async function killOpenChanges(tx: Queryable, accountId: string): Promise<void> {
  await tx.query(killOpenChangesSql({ accountId: '$1', openStates: '$2' }), [accountId, openChangeStates]);
}

export async function insertChange(
  tx: Queryable,
  change: { accountId: string; sessionIdHash: string; proposedPinHash: string; needsCode: boolean; expiresAt: Date },
  now: Date,
): Promise<string> {
  const result = await tx.query<{ id: string }>(
    `INSERT INTO pin_changes (account_id, session_id_hash, proposed_pin_hash, needs_code, state, expires_at, created_at)
     VALUES ($1, $2, $3, $4, 'awaiting_confirmation', $5, $6) RETURNING id`,
    [change.accountId, change.sessionIdHash, change.proposedPinHash, change.needsCode, change.expiresAt, now],
  );
  return result.rows[0]!.id;
}

/** The change of this account that can still complete; null when unknown, another account's, expired or finished. */
export async function findLiveChange(db: Queryable, change: { id: string; accountId: string }, now: Date): Promise<PinChangeRow | null> {
  const result = await db.query<PinChangeRow>(
    `SELECT id, proposed_pin_hash, needs_code FROM pin_changes
     WHERE id = $1 AND account_id = $2 AND state = ANY($3) AND expires_at > $4`,
    [change.id, change.accountId, changeStatesMovingTo('completed'), now],
  );
  return result.rows[0] ?? null;
}

export async function markChangeDead(db: Queryable, changeId: string): Promise<void> {
  await db.query(`UPDATE pin_changes SET state = 'dead' WHERE id = $1 AND state = ANY($2)`, [changeId, changeStatesMovingTo('dead')]);
}

/** Single use: true for the one caller that completed the change. */
export async function completeChange(tx: Queryable, changeId: string, now: Date): Promise<boolean> {
  const result = await tx.query(
    `UPDATE pin_changes SET state = 'completed' WHERE id = $1 AND state = ANY($2) AND expires_at > $3`,
    [changeId, changeStatesMovingTo('completed'), now],
  );
  return result.rowCount === 1;
}
