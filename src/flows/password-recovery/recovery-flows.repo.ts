// SQL for recovery flows. Single use and attempt counting are single guarded statements (S6, S8).
import type { Queryable } from '../../store/db.ts';
import { openStates, type RecoveryState } from './password-recovery.state.ts';

export interface RecoveryFlowRow {
  id: string;
  account_id: string | null;
  channel: 'email' | 'sms';
  state: RecoveryState;
  code_hash: string | null;
  needs_code: boolean;
  token_expires_at: Date | null;
  token_used_at: Date | null;
  attempts: number;
  expires_at: Date;
}

export interface NewRecoveryFlow {
  accountId: string | null;
  channel: 'email' | 'sms';
  state: RecoveryState;
  codeHash: string | null;
  needsCode: boolean;
  tokenHash: string | null;
  expiresAt: Date;
}

export async function insertRecoveryFlow(tx: Queryable, flow: NewRecoveryFlow, now: Date): Promise<string> {
  const result = await tx.query<{ id: string }>(
    `INSERT INTO recovery_flows (account_id, channel, state, code_hash, needs_code, token_hash, token_expires_at, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6::text IS NULL THEN NULL ELSE $7::timestamptz END, $7, $8) RETURNING id`,
    [flow.accountId, flow.channel, flow.state, flow.codeHash, flow.needsCode, flow.tokenHash, flow.expiresAt, now],
  );
  return result.rows[0]!.id;
}

/** S9: a newer request, or a completed reset, kills every open flow of the account. */
export async function killOpenFlows(tx: Queryable, accountId: string | null, exceptId?: string): Promise<void> {
  await tx.query(`UPDATE recovery_flows SET state = 'dead' WHERE account_id = $1 AND state = ANY($2) AND id <> $3::uuid`, [
    accountId, openStates, exceptId ?? '00000000-0000-0000-0000-000000000000',
  ]);
}

/** Counts an attempt on a live flow waiting for a code; null when the flow is dead or unknown. */
export async function countCodeAttempt(tx: Queryable, flowId: string, states: RecoveryState[], maxAttempts: number, now: Date) {
  const result = await tx.query<RecoveryFlowRow>(
    `UPDATE recovery_flows SET attempts = attempts + 1
     WHERE id = $1 AND state = ANY($2) AND expires_at > $3 AND attempts < $4 RETURNING *`,
    [flowId, states, now, maxAttempts],
  );
  return result.rows[0] ?? null;
}

export async function markFlowDead(tx: Queryable, flowId: string): Promise<void> {
  await tx.query(`UPDATE recovery_flows SET state = 'dead' WHERE id = $1`, [flowId]);
}

/** The right code was given: the flow moves on once, with a token for the new password. */
export async function verifyFlowCode(tx: Queryable, flowId: string, tokenHash: string, tokenExpiresAt: Date): Promise<boolean> {
  const result = await tx.query(
    `UPDATE recovery_flows SET state = 'code_verified', token_hash = $2, token_expires_at = $3
     WHERE id = $1 AND state = 'awaiting_code'`,
    [flowId, tokenHash, tokenExpiresAt],
  );
  return result.rowCount === 1;
}

export async function findFlowByToken(db: Queryable, tokenHash: string): Promise<RecoveryFlowRow | null> {
  const result = await db.query<RecoveryFlowRow>('SELECT * FROM recovery_flows WHERE token_hash = $1', [tokenHash]);
  return result.rows[0] ?? null;
}

/** Single use (S6): of parallel completions with one token exactly one gets the row. */
export async function consumeToken(tx: Queryable, tokenHash: string, now: Date): Promise<RecoveryFlowRow | null> {
  const result = await tx.query<RecoveryFlowRow>(
    `UPDATE recovery_flows SET token_used_at = $2, state = 'completed'
     WHERE token_hash = $1 AND token_used_at IS NULL AND token_expires_at > $2 AND state IN ('awaiting_link', 'code_verified')
     RETURNING *`,
    [tokenHash, now],
  );
  return result.rows[0] ?? null;
}
