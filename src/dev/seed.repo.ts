// The two statements only the demo data needs.
import type { Queryable } from '../store/db.ts';

export async function administrationExists(db: Queryable, code: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM administrations WHERE code = $1', [code])).rows.length > 0;
}

/** Demo citizens arrive with verified contacts, as if they had confirmed them. */
export async function markContactsVerified(tx: Queryable, accountId: string): Promise<void> {
  await tx.query('UPDATE accounts SET email_verified = true, mobile_verified = true WHERE id = $1', [accountId]);
}
