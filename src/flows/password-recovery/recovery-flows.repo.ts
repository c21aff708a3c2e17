// SQL for recovery flows. Every move is one guarded statement whose WHERE clause is the
// state table's precondition, so parallel requests cannot both win (S6, S8, S9).
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

/**
 * Counts an attempt on a live flow waiting for a code, before the code is checked, so that
 * parallel guesses never exceed the budget (S8). `secondFactor` keeps the two kinds of
 * code apart: an SMS-channel code cannot stand in for a link, nor the other way round.
 * Null when the flow is dead, expired, out of attempts or unknown.
 */
export async function countCodeAttempt(
  tx: Queryable,
  flow: { id: string; secondFactor: boolean },
  maxAttempts: number,
  now: Date,
): Promise<RecoveryFlowRow | null> {
  const result = await tx.query<RecoveryFlowRow>(
    `UPDATE recovery_flows SET attempts = attempts + 1
     WHERE id = $1 AND state = 'awaiting_code' AND needs_code = $2 AND expires_at > $3 AND attempts < $4 RETURNING *`,
    [flow.id, flow.secondFactor, now, maxAttempts],
  );
  return result.rows[0] ?? null;
}

export async function markFlowDead(tx: Queryable, flowId: string): Promise<void> {
  await tx.query(`UPDATE recovery_flows SET state = 'dead' WHERE id = $1 AND state = ANY($2)`, [flowId, openStates]);
}

/** The right SMS-channel code was given: the flow moves on once, with a token for the new password. */
export async function verifyFlowCode(tx: Queryable, flowId: string, tokenHash: string, tokenExpiresAt: Date): Promise<boolean> {
  const result = await tx.query(
    `UPDATE recovery_flows SET state = 'code_verified', token_hash = $2, token_expires_at = $3
     WHERE id = $1 AND state = 'awaiting_code' AND NOT needs_code`,
    [flowId, tokenHash, tokenExpiresAt],
  );
  return result.rowCount === 1;
}

/**
 * Second factor: an opened, unused link gets a new SMS code, which replaces any earlier one
 * (S9) and lives 10 minutes but never beyond the link (S7); attempts are kept (S8).
 */
export async function replaceSecondFactorCode(
  tx: Queryable,
  tokenHash: string,
  code: { codeHash: string; expiresAt: Date },
  maxAttempts: number,
  now: Date,
): Promise<RecoveryFlowRow | null> {
  const result = await tx.query<RecoveryFlowRow>(
    `UPDATE recovery_flows SET state = 'awaiting_code', code_hash = $2, expires_at = LEAST($3::timestamptz, token_expires_at)
     WHERE token_hash = $1 AND needs_code AND state IN ('awaiting_link', 'awaiting_code')
       AND token_used_at IS NULL AND token_expires_at > $4 AND attempts < $5
     RETURNING *`,
    [tokenHash, code.codeHash, code.expiresAt, now, maxAttempts],
  );
  return result.rows[0] ?? null;
}

export async function findFlowByToken(db: Queryable, tokenHash: string): Promise<RecoveryFlowRow | null> {
  const result = await db.query<RecoveryFlowRow>('SELECT * FROM recovery_flows WHERE token_hash = $1', [tokenHash]);
  return result.rows[0] ?? null;
}

/**
 * Single use (S6): of parallel completions with one token exactly one gets the row. A link
 * of a second-factor flow completes only once its SMS code was sent (and, before this
 * statement, checked).
 */
export async function consumeToken(tx: Queryable, tokenHash: string, now: Date): Promise<RecoveryFlowRow | null> {
  const result = await tx.query<RecoveryFlowRow>(
    `UPDATE recovery_flows SET token_used_at = $2, state = 'completed'
     WHERE token_hash = $1 AND token_used_at IS NULL AND token_expires_at > $2
       AND ((NOT needs_code AND state IN ('awaiting_link', 'code_verified')) OR (needs_code AND state = 'awaiting_code' AND expires_at > $2))
     RETURNING *`,
    [tokenHash, now],
  );
  return result.rows[0] ?? null;
}
