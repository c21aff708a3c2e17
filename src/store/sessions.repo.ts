// Server-side sessions: the cookie holds a random id, the table only its SHA-256 (S19).
import type { Queryable } from './db.ts';

export interface SessionRow {
  id_hash: string;
  account_id: string;
  auth_method: string;
  acr: string | null;
  provider: string | null;
  login_flow_id: string | null;
  created_at: Date;
  last_seen_at: Date;
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
}

export async function insertSession(
  db: Queryable,
  session: NewSession,
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id_hash, account_id, auth_method, acr, provider, login_flow_id, created_at, last_seen_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)`,
    [session.idHash, session.accountId, session.authMethod, session.acr, session.provider ?? null, session.loginFlowId ?? null,
      now, session.ip, session.userAgent],
  );
}

/**
 * S19: the same session under a new id, at a privilege change (a required action cleared).
 * It keeps its age, so the absolute timeout still counts from the sign-in.
 */
export async function renameSession(db: Queryable, oldIdHash: string, newIdHash: string, now: Date): Promise<boolean> {
  const result = await db.query('UPDATE sessions SET id_hash = $2, last_seen_at = $3 WHERE id_hash = $1', [oldIdHash, newIdHash, now]);
  return result.rowCount === 1;
}

export async function findSession(db: Queryable, idHash: string): Promise<SessionRow | null> {
  const result = await db.query<SessionRow>('SELECT * FROM sessions WHERE id_hash = $1', [idHash]);
  return result.rows[0] ?? null;
}

export async function touchSession(db: Queryable, idHash: string, now: Date): Promise<void> {
  await db.query('UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1', [idHash, now]);
}

export async function deleteSession(db: Queryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
}

/** Ends every session of the account except, optionally, the one making the change (S22). */
export async function deleteAccountSessions(db: Queryable, accountId: string, exceptIdHash?: string): Promise<number> {
  const result = await db.query('DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2', [
    accountId,
    exceptIdHash ?? '',
  ]);
  return result.rowCount;
}
