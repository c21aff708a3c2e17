// The rate-limit windows in PostgreSQL: one counted upsert a hit (S17).
import type { Queryable } from '../store/db.ts';

/** Counts a hit in the window and returns the hits so far, in one statement (no lost updates). */
export async function countHit(db: Queryable, key: string, windowStart: Date): Promise<number | null> {
  const result = await db.query<{ hits: number }>(
    `INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits`,
    [key, windowStart],
  );
  return result.rows[0]?.hits ?? null;
}

export async function deleteWindowsBefore(db: Queryable, before: Date): Promise<number> {
  return (await db.query('DELETE FROM rate_limits WHERE window_start < $1', [before])).rowCount;
}
