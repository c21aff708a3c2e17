// Server-side sessions: the cookie holds a random id, the table only its SHA-256 (S19).
import type { Queryable } from './db.ts';

export interface SessionRow {
  id_hash: string;
  account_id: string;
  auth_method: string;
  acr: string | null;
  provider: string | null;
  created_at: Date;
  last_seen_at: Date;
}

export async function insertSession(
  db: Queryable,
  session: {
    idHash: string; accountId: string; authMethod: string; ip: string; userAgent: string;
    acr?: string | null; provider?: string | null; loginFlowId?: string | null;
  },
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id_hash, account_id, auth_method, created_at, last_seen_at, ip, user_agent, acr, provider, login_flow_id)
     VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9)`,
    [session.idHash, session.accountId, session.authMethod, now, session.ip, session.userAgent,
      session.acr ?? null, session.provider ?? null, session.loginFlowId ?? null],
  );
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
