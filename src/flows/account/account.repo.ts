// What the personal area reads beyond the account row.
import type { Queryable } from '../../store/db.ts';

export interface FederatedSignInRow {
  at: Date;
  method: 'spid' | 'cie';
  provider: string | null;
  level: number | null;
}

/**
 * The SPID or CIE identity linked to the account: accounts are matched by codice fiscale
 * (fiscalNumber), so the link is shown as the last sign-in through one, from the audit trail.
 */
export async function lastFederatedSignIn(db: Queryable, accountId: string): Promise<FederatedSignInRow | null> {
  const result = await db.query<{ at: Date; method: 'spid' | 'cie'; provider: string | null; level: string | null }>(
    `SELECT at, details->>'method' AS method, details->>'provider' AS provider, details->>'level' AS level FROM audit_events
     WHERE account_id = $1 AND type = 'sign_in' AND details->>'method' IN ('spid', 'cie') ORDER BY seq DESC LIMIT 1`,
    [accountId],
  );
  const row = result.rows[0];
  return row ? { at: row.at, method: row.method, provider: row.provider, level: row.level === null ? null : Number(row.level) } : null;
}
