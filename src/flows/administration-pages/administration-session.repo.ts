// SQL of administrations' web sessions (015): only the SHA-256 of a session id is stored.
import type { Queryable } from '../../store/db.ts';

export async function insertAdministrationSession(db: Queryable, idHash: string, administrationId: string, now: Date): Promise<void> {
  await db.query(
    'INSERT INTO administration_sessions (id_hash, administration_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)',
    [idHash, administrationId, now],
  );
}

/** Touches a live session (seen since `idleSince`, opened since `openedSince`) and returns its administration. */
export async function touchAdministrationSession(
  db: Queryable, idHash: string, now: Date, idleSince: Date, openedSince: Date,
): Promise<{ id: string; code: string; name: string } | null> {
  const result = await db.query<{ id: string; code: string; name: string }>(
    `WITH live AS (
       UPDATE administration_sessions SET last_seen_at = $2
       WHERE id_hash = $1 AND last_seen_at > $3 AND created_at > $4
       RETURNING administration_id)
     SELECT a.id, a.code, a.name FROM live JOIN administrations a ON a.id = live.administration_id`,
    [idHash, now, idleSince, openedSince],
  );
  return result.rows[0] ?? null;
}

export async function deleteAdministrationSession(db: Queryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM administration_sessions WHERE id_hash = $1', [idHash]);
}

/** Sessions no longer live (idle since before `idleSince` or opened before `openedSince`); returns how many. */
export async function deleteExpiredAdministrationSessions(db: Queryable, idleSince: Date, openedSince: Date): Promise<number> {
  const result = await db.query('DELETE FROM administration_sessions WHERE last_seen_at <= $1 OR created_at <= $2', [idleSince, openedSince]);
  return result.rowCount;
}
