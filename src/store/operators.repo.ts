// Operators and their back-office sessions (S19–S21 for operators): session ids stored as SHA-256.
import type { Queryable } from './db.ts';

export interface Operator {
  id: string;
  codiceFiscale: string;
}

export async function findOperatorById(db: Queryable, id: string | null): Promise<Operator | null> {
  if (id === null) return null;
  const row = await db.query<{ id: string; codice_fiscale: string }>('SELECT id, codice_fiscale FROM operators WHERE id = $1', [id]);
  return row.rows[0] ? { id: row.rows[0].id, codiceFiscale: row.rows[0].codice_fiscale } : null;
}

export async function findOperatorCredentials(db: Queryable, codiceFiscale: string): Promise<{ id: string; password_hash: string | null } | null> {
  const row = await db.query<{ id: string; password_hash: string | null }>('SELECT id, password_hash FROM operators WHERE codice_fiscale = $1', [codiceFiscale]);
  return row.rows[0] ?? null;
}

/** Touches a live session (idle and absolute limits as bounds) and names its operator, in one statement. */
export async function touchOperatorSession(db: Queryable, idHash: string, now: Date, idleSince: Date, createdSince: Date): Promise<string | null> {
  const session = await db.query<{ operator_id: string }>(
    `UPDATE operator_sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at > $3 AND created_at > $4 RETURNING operator_id`,
    [idHash, now, idleSince, createdSince],
  );
  return session.rows[0]?.operator_id ?? null;
}

export async function insertOperatorSession(db: Queryable, idHash: string, operatorId: string, now: Date): Promise<void> {
  await db.query('INSERT INTO operator_sessions (id_hash, operator_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)', [idHash, operatorId, now]);
}

export async function deleteOperatorSession(db: Queryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM operator_sessions WHERE id_hash = $1', [idHash]);
}
