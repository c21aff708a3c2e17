// SQL for recovery flows. The flow row holds the state; its link and codes are one-time
// secrets (credentials/one-time-secret.ts). Every move is one guarded statement whose WHERE
// clause is the transitions table's precondition (statesMovingTo), so parallel requests
// cannot both win and no step can move a flow along an edge the table does not draw (S6, S9).
import type { Queryable } from '../../store/db.ts';
import { openStates, statesMovingTo, type RecoveryState } from './password-recovery.state.ts';

export interface RecoveryFlowRow {
  id: string;
  account_id: string | null;
  channel: 'email' | 'sms';
  state: RecoveryState;
  needs_code: boolean;
  expires_at: Date;
}

export interface NewRecoveryFlow {
  /** The id the start's answer already gave (recovery starts are carried out later). */
  id?: string;
  accountId: string | null;
  channel: 'email' | 'sms';
  state: RecoveryState;
  needsCode: boolean;
  expiresAt: Date;
}

export async function insertRecoveryFlow(tx: Queryable, flow: NewRecoveryFlow, now: Date): Promise<string> {
  const result = await tx.query<{ id: string }>(
    `INSERT INTO recovery_flows (id, account_id, channel, state, needs_code, expires_at, created_at)
     VALUES (coalesce($7::uuid, gen_random_uuid()), $1, $2, $3, $4, $5, $6) RETURNING id`,
    [flow.accountId, flow.channel, flow.state, flow.needsCode, flow.expiresAt, now, flow.id ?? null],
  );
  return result.rows[0]!.id;
}

/** The statement of killOpenFlows, its parameters named by the caller (after-change.repo.ts makes it part of one). */
export const killOpenFlowsSql = (p: { accountId: string; openStates: string }): string =>
  `UPDATE recovery_flows SET state = 'dead' WHERE account_id = ${p.accountId} AND state = ANY(${p.openStates})`;

/** S9: a newer request, or a credential change, kills every open flow of the account. */
export async function killOpenFlows(tx: Queryable, accountId: string | null): Promise<void> {
  await tx.query(killOpenFlowsSql({ accountId: '$1', openStates: '$2' }), [accountId, openStates]);
}

export async function findFlow(db: Queryable, flowId: string): Promise<RecoveryFlowRow | null> {
  const result = await db.query<RecoveryFlowRow>('SELECT id, account_id, channel, state, needs_code, expires_at FROM recovery_flows WHERE id = $1', [flowId]);
  return result.rows[0] ?? null;
}

/**
 * Moves a flow to `to` when the table allows it from the state it is in; `needsCode` keeps
 * the SMS channel and the second factor apart (an SMS-channel move never applies to a
 * second-factor flow, nor the other way round). `expiresAt` replaces the flow's lifetime.
 * Null when the move is not allowed (already moved, dead, completed or unknown).
 */
export async function moveFlow(
  tx: Queryable,
  flowId: string,
  to: RecoveryState,
  options: { needsCode?: boolean; expiresAt?: Date } = {},
): Promise<RecoveryFlowRow | null> {
  const result = await tx.query<RecoveryFlowRow>(
    `UPDATE recovery_flows SET state = $2, expires_at = COALESCE($5::timestamptz, expires_at)
     WHERE id = $1 AND state = ANY($3) AND ($4::boolean IS NULL OR needs_code = $4::boolean)
     RETURNING id, account_id, channel, state, needs_code, expires_at`,
    [flowId, to, statesMovingTo(to), options.needsCode ?? null, options.expiresAt ?? null],
  );
  return result.rows[0] ?? null;
}
