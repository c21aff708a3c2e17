// Server-side sessions: the cookie holds a random id, the table only its SHA-256 (S19).
import { accountColumns, type AccountRow } from './accounts.repo.ts';
import type { Queryable } from './db.ts';
import { asFederatedSignIn, lastFederatedSignInOf, type FederatedSignInRow, type StoredFederatedSignIn } from './federated-sign-ins.repo.ts';

export interface SessionRow {
  id_hash: string;
  account_id: string;
  auth_method: string;
  acr: string | null;
  provider: string | null;
  login_flow_id: string | null;
  created_at: Date;
  last_seen_at: Date;
  public_id: string;
  ip: string | null;
  user_agent: string | null;
  device_hash: string | null;
}

export interface NewSession {
  idHash: string;
  accountId: string;
  authMethod: string;
  acr: string;
  provider?: string | null;
  loginFlowId?: string | null;
  ip: string;
  userAgent: string;
  /** SHA-256 of the browser's device cookie (new-device notices). */
  deviceHash?: string | null;
}

/**
 * S19: the same session under a new id, at a privilege change (a required action cleared).
 * It keeps its age, so the absolute timeout still counts from the sign-in.
 */
export async function renameSession(db: Queryable, oldIdHash: string, newIdHash: string, now: Date): Promise<boolean> {
  const result = await db.query('UPDATE sessions SET id_hash = $2, last_seen_at = $3 WHERE id_hash = $1', [oldIdHash, newIdHash, now]);
  return result.rowCount === 1;
}

export type SessionWithAccount = Pick<SessionRow, 'auth_method' | 'acr' | 'provider' | 'login_flow_id' | 'created_at' | 'last_seen_at'> & {
  account: AccountRow;
  /** Read only when asked for (GET /api/v1/me shows it); undefined otherwise. */
  lastFederatedSignIn?: FederatedSignInRow | null;
};

type Prefixed<T, P extends string> = { [K in keyof T & string as `${P}${K}`]: T[K] };

const sessionColumns = `${accountColumns('a')}, s.auth_method AS s_auth_method, s.acr AS s_acr, s.provider AS s_provider, s.login_flow_id AS s_login_flow_id,
       s.created_at AS s_created_at, s.last_seen_at AS s_last_seen_at`;
const sessionSql = `SELECT ${sessionColumns} FROM sessions AS s JOIN accounts AS a ON a.id = s.account_id WHERE s.id_hash = $1`;
const sessionWithFederatedSql = `SELECT ${sessionColumns}, f.* FROM sessions AS s JOIN accounts AS a ON a.id = s.account_id
     LEFT JOIN LATERAL (${lastFederatedSignInOf('a.id', 'f_')}) AS f ON true WHERE s.id_hash = $1`;

/**
 * The session and its account in one statement: what every request with a session cookie
 * reads first (issue 14); with `withLastFederatedSignIn`, the account's last SPID or CIE
 * sign-in too, in the same statement.
 */
export async function findSessionWithAccount(db: Queryable, idHash: string, options: { withLastFederatedSignIn?: boolean } = {}): Promise<SessionWithAccount | null> {
  const result = await db.query<AccountRow & { s_auth_method: string; s_acr: string | null; s_provider: string | null; s_login_flow_id: string | null;
    s_created_at: Date; s_last_seen_at: Date } & Partial<Prefixed<StoredFederatedSignIn, 'f_'>>>(
    options.withLastFederatedSignIn ? sessionWithFederatedSql : sessionSql, [idHash]);
  const row = result.rows[0];
  if (!row) return null;
  const { s_auth_method, s_acr, s_provider, s_login_flow_id, s_created_at, s_last_seen_at,
    f_at, f_method, f_provider, f_level, f_acr, ...account } = row;
  const found: SessionWithAccount = { auth_method: s_auth_method, acr: s_acr, provider: s_provider, login_flow_id: s_login_flow_id,
    created_at: s_created_at, last_seen_at: s_last_seen_at, account };
  if (options.withLastFederatedSignIn) {
    found.lastFederatedSignIn = asFederatedSignIn({ at: f_at ?? null, method: f_method ?? null, provider: f_provider ?? null, level: f_level ?? null, acr: f_acr ?? null });
  }
  return found;
}

export async function touchSession(db: Queryable, idHash: string, now: Date): Promise<void> {
  await db.query('UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1', [idHash, now]);
}

export async function deleteSession(db: Queryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

/** Ends every session of the account except, optionally, the one making the change (S22). */
export async function deleteAccountSessions(db: Queryable, accountId: string, exceptIdHash?: string): Promise<number> {
  const result = await db.query(deleteAccountSessionsSql({ accountId: '$1', exceptIdHash: '$2' }), [accountId, exceptIdHash ?? '']);
  return result.rowCount;
}

/** The statement of deleteAccountSessions, its parameters named by the caller (the after-change hook makes it part of one); '' keeps none. */
export const deleteAccountSessionsSql = (p: { accountId: string; exceptIdHash: string }): string =>
  `DELETE FROM sessions WHERE account_id = ${p.accountId} AND id_hash <> ${p.exceptIdHash}`;

/**
 * The account's live sessions, most recently used first: those still within both timeouts
 * (an expired row is deleted at its next use, so the list must not show it meanwhile).
 */
export async function listLiveSessions(
  db: Queryable, accountId: string, live: { seenAfter: Date; createdAfter: Date },
): Promise<SessionRow[]> {
  const result = await db.query<SessionRow>(
    `SELECT * FROM sessions WHERE account_id = $1 AND last_seen_at >= $2 AND created_at >= $3
     ORDER BY last_seen_at DESC, created_at DESC`,
    [accountId, live.seenAfter, live.createdAfter],
  );
  return result.rows;
}

/** Ends one session of the account, named by its public id; null when the account has no such session. */
export async function deleteSessionByPublicId(db: Queryable, accountId: string, publicId: string): Promise<SessionRow | null> {
  const result = await db.query<SessionRow>('DELETE FROM sessions WHERE account_id = $1 AND public_id = $2 RETURNING *', [accountId, publicId]);
  return result.rows[0] ?? null;
}
