// SQL of contact verification codes. Single use and attempt counting are one guarded
// statement each, so parallel confirmations cannot spend a code twice or overrun its attempts.
import type { Queryable } from '../../store/db.ts';
import type { CodePurpose } from './verification-codes.ts';

export interface LiveCodeRow {
  id: string;
  code_hash: string;
  target: string;
  attempts: number;
}

/** A newer code voids every live code of the same purpose (only the latest message counts). */
export async function voidCodes(tx: Queryable, accountId: string, purpose: CodePurpose, now: Date): Promise<void> {
  await tx.query(
    `UPDATE contact_verification_codes SET voided_at = $3
     WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL AND voided_at IS NULL`,
    [accountId, purpose, now],
  );
}

export async function insertCode(
  tx: Queryable, code: { accountId: string; purpose: CodePurpose; target: string; codeHash: string; expiresAt: Date }, now: Date,
): Promise<string> {
  const result = await tx.query<{ id: string }>(
    `INSERT INTO contact_verification_codes (account_id, purpose, target, code_hash, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [code.accountId, code.purpose, code.target, code.codeHash, code.expiresAt, now],
  );
  return result.rows[0]!.id;
}

/** Counts one attempt on the live code; null when there is none, it expired or used its attempts. */
export async function takeAttempt(db: Queryable, accountId: string, purpose: CodePurpose, maxAttempts: number, now: Date): Promise<LiveCodeRow | null> {
  const result = await db.query<LiveCodeRow>(
    `UPDATE contact_verification_codes SET attempts = attempts + 1
     WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL AND voided_at IS NULL AND expires_at > $3 AND attempts < $4
     RETURNING id, code_hash, target, attempts`,
    [accountId, purpose, now, maxAttempts],
  );
  return result.rows[0] ?? null;
}

/** Single use: true for the one caller that spent the code. */
export async function spend(tx: Queryable, codeId: string, now: Date): Promise<boolean> {
  const result = await tx.query(
    `UPDATE contact_verification_codes SET used_at = $2
     WHERE id = $1 AND used_at IS NULL AND voided_at IS NULL AND expires_at > $2`,
    [codeId, now],
  );
  return result.rowCount === 1;
}
