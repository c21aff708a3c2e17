// The SPID or CIE identity linked to an account. Accounts are matched by codice fiscale
// (fiscalNumber), so the link is shown as the last sign-in through one, from the audit trail.
// GET /api/v1/me reads it with the session in one statement (sessions.repo.ts); the personal
// area on its own. Both go through the query and the row conversion below.
import { levelOfAcr } from '../domain/assurance.ts';
import type { Queryable } from './db.ts';

export interface FederatedSignInRow {
  at: Date;
  method: 'spid' | 'cie';
  provider: string | null;
  level: number | null;
}

/** The columns lastFederatedSignInOf(`accountId`, an SQL expression) gives, each under `prefix`. */
export interface StoredFederatedSignIn {
  at: Date | null;
  method: 'spid' | 'cie' | null;
  provider: string | null;
  level: string | null;
  acr: string | null;
}

/**
 * The last federated sign-in of the account `accountId` names, as one row (none when there is
 * none). Its WHERE is the predicate of the index audit_events_federated_sign_in (migration 023),
 * so it reads one index entry; kept in one place so both readers keep matching it.
 */
export function lastFederatedSignInOf(accountId: string, prefix = ''): string {
  return `SELECT at AS ${prefix}at, details->>'method' AS ${prefix}method, details->>'provider' AS ${prefix}provider,
      details->>'level' AS ${prefix}level, details->>'acr' AS ${prefix}acr
    FROM audit_events WHERE account_id = ${accountId} AND type = 'sign_in' AND details->>'method' IN ('spid', 'cie')
    ORDER BY seq DESC LIMIT 1`;
}

export function asFederatedSignIn(row: StoredFederatedSignIn | undefined): FederatedSignInRow | null {
  if (!row?.at || !row.method) return null;
  // Sign-ins through the login flow record the acr; older SPID events recorded the level itself.
  const level = row.level !== null ? Number(row.level) : row.method === 'spid' && row.acr ? levelOfAcr(row.acr) : null;
  return { at: row.at, method: row.method, provider: row.provider, level: Number.isInteger(level) ? level : null };
}

export async function lastFederatedSignIn(db: Queryable, accountId: string): Promise<FederatedSignInRow | null> {
  const result = await db.query<StoredFederatedSignIn>(lastFederatedSignInOf('$1'), [accountId]);
  return asFederatedSignIn(result.rows[0]);
}
