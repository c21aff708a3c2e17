// SQL of one-time secrets (009_one_time_secrets.sql). Each rule is one guarded statement, so
// parallel requests cannot both win: attempts are counted by `attempts = attempts + 1 …
// RETURNING` before the code is compared (S8), and a secret is spent by one `UPDATE … WHERE
// consumed_at IS NULL AND voided_at IS NULL AND expires_at > $now RETURNING` (S6).
import type { Queryable } from '../../store/db.ts';

export type SecretPurpose =
  | 'password_reset_link' // email link, or the token an SMS-channel code is traded for
  | 'password_reset_code' // SMS channel of password recovery
  | 'password_second_factor_code' // RECOVERY_SECOND_FACTOR=sms: the code that goes with the link
  | 'pin_change_code' // verification code of a PIN change
  | 'pin_recovery_code' // "Hai smarrito il tuo PIN?"
  | 'wasnt_me_link' // "this wasn't me" in a security notice (flows/notices)
  // Codes proving a contact (profile completion, contact changes; their flow row is a contact_proofs row)
  | 'verify_email' | 'verify_mobile' | 'change_email' | 'change_mobile' | 'change_pec';

export interface SecretRow {
  id: string;
  purpose: SecretPurpose;
  account_id: string | null;
  flow_id: string | null;
  secret_hash: string;
  attempts: number;
  max_attempts: number;
  expires_at: Date;
  consumed_at: Date | null;
  voided_at: Date | null;
}

/** Which secrets a step means: those of one flow, or (flows without a row, like PIN recovery) of one account. */
export type SecretScope = { purpose: SecretPurpose; flowId: string } | { purpose: SecretPurpose; accountId: string };

const live = 'consumed_at IS NULL AND voided_at IS NULL';

function scopeOf(scope: SecretScope): [string, string] {
  return 'flowId' in scope ? ['flow_id', scope.flowId] : ['account_id', scope.accountId];
}

export interface NewSecretRow {
  id: string;
  purpose: SecretPurpose;
  accountId: string | null;
  flowId: string | null;
  secretHash: string;
  maxAttempts: number;
  expiresAt: Date;
}

/**
 * A reissue within the same flow keeps the attempts already spent (S8: resending a code does
 * not reset the budget); a new flow starts at zero.
 */
export async function insertSecret(tx: Queryable, secret: NewSecretRow, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO one_time_secrets (id, purpose, account_id, flow_id, secret_hash, attempts, max_attempts, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5,
       COALESCE((SELECT max(attempts) FROM one_time_secrets WHERE flow_id = $4::uuid AND purpose = $2), 0), $6, $7, $8)`,
    [secret.id, secret.purpose, secret.accountId, secret.flowId, secret.secretHash, secret.maxAttempts, secret.expiresAt, now],
  );
}

/** S9: voids the outstanding secrets of these purposes, of the account or, for accounts unknown, of the flow. */
export async function voidSecretsOf(
  tx: Queryable, owner: { accountId: string | null; flowId: string | null }, purposes: readonly SecretPurpose[], now: Date,
): Promise<void> {
  await tx.query(
    `UPDATE one_time_secrets SET voided_at = $4
     WHERE (account_id = $1::uuid OR flow_id = $2::uuid) AND purpose = ANY($3) AND ${live}`,
    [owner.accountId, owner.flowId, purposes, now],
  );
}

/**
 * S9: a password or PIN change voids every outstanding secret of the account, whatever its
 * purpose, except the "this wasn't me" links of notices: they grant nothing (they only end
 * sessions), and the notice of the very change, or of a desk change made by someone posing as
 * the citizen, must keep a working one.
 */
export const voidAllSecretsOfAccountSql = (p: { accountId: string; now: string }): string =>
  `UPDATE one_time_secrets SET voided_at = ${p.now} WHERE account_id = ${p.accountId} AND purpose <> 'wasnt_me_link' AND ${live}`;

/** The flow that ended voids what it still held. */
export async function voidSecretsOfFlow(tx: Queryable, flowId: string, now: Date): Promise<void> {
  await tx.query(`UPDATE one_time_secrets SET voided_at = $2 WHERE flow_id = $1 AND ${live}`, [flowId, now]);
}

export async function findSecretByHash(db: Queryable, purpose: SecretPurpose, secretHash: string): Promise<SecretRow | null> {
  const result = await db.query<SecretRow>('SELECT * FROM one_time_secrets WHERE secret_hash = $1 AND purpose = $2', [secretHash, purpose]);
  return result.rows[0] ?? null;
}

/** The live secret of the scope, if any, without counting anything. */
export async function findLiveSecret(db: Queryable, scope: SecretScope, now: Date): Promise<SecretRow | null> {
  const [column, value] = scopeOf(scope);
  const result = await db.query<SecretRow>(
    `SELECT * FROM one_time_secrets WHERE ${column} = $1 AND purpose = $2 AND ${live} AND expires_at > $3 ORDER BY created_at DESC LIMIT 1`,
    [value, scope.purpose, now],
  );
  return result.rows[0] ?? null;
}

/** Attempts already spent in a flow on codes of this purpose, live or not (S8: the budget is per flow). */
export async function spentAttempts(db: Queryable, flowId: string, purpose: SecretPurpose): Promise<number> {
  const result = await db.query<{ spent: number }>(
    'SELECT COALESCE(max(attempts), 0)::int AS spent FROM one_time_secrets WHERE flow_id = $1 AND purpose = $2', [flowId, purpose]);
  return Number(result.rows[0]?.spent ?? 0);
}

/** Counts one attempt on the live secret of the scope; null when there is none or its budget is spent (S8). */
export async function countSecretAttempt(db: Queryable, scope: SecretScope, now: Date): Promise<SecretRow | null> {
  const [column, value] = scopeOf(scope);
  const result = await db.query<SecretRow>(
    `UPDATE one_time_secrets SET attempts = attempts + 1
     WHERE ${column} = $1 AND purpose = $2 AND ${live} AND expires_at > $3 AND attempts < max_attempts
     RETURNING *`,
    [value, scope.purpose, now],
  );
  return result.rows[0] ?? null;
}

/** Single use (S6): of parallel consumers exactly one gets the row. */
export async function consumeSecretRow(tx: Queryable, id: string, now: Date): Promise<SecretRow | null> {
  const result = await tx.query<SecretRow>(
    `UPDATE one_time_secrets SET consumed_at = $2 WHERE id = $1 AND ${live} AND expires_at > $2 RETURNING *`,
    [id, now],
  );
  return result.rows[0] ?? null;
}
