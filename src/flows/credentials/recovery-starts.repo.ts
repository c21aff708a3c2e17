// SQL for pending recovery starts (migration 018): many rows in one statement on the request
// path, one claimed per worker transaction (SKIP LOCKED: instances never take the same one).
import type { Queryable } from '../../store/db.ts';

export type RecoveryStartKind = 'password' | 'pin';

export interface RecoveryStartRow {
  id: string;
  kind: RecoveryStartKind;
  request: Record<string, unknown>;
  ip: string;
  user_agent: string;
  requested_at: Date;
}

export async function insertRecoveryStarts(db: Queryable, rows: readonly (Omit<RecoveryStartRow, 'request'> & { request: string })[]): Promise<void> {
  await db.query(
    `INSERT INTO recovery_starts (id, kind, request, ip, user_agent, requested_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[], $5::text[], $6::timestamptz[])`,
    [rows.map((r) => r.id), rows.map((r) => r.kind), rows.map((r) => r.request), rows.map((r) => r.ip), rows.map((r) => r.user_agent),
      rows.map((r) => r.requested_at)],
  );
}

/** The oldest starts no other worker holds (or the one named), locked until the transaction ends. */
export async function claimRecoveryStarts(tx: Queryable, limit: number, id?: string): Promise<RecoveryStartRow[]> {
  const result = id
    ? await tx.query<RecoveryStartRow>('SELECT * FROM recovery_starts WHERE id = $1 FOR UPDATE SKIP LOCKED', [id])
    : await tx.query<RecoveryStartRow>('SELECT * FROM recovery_starts ORDER BY requested_at LIMIT $1 FOR UPDATE SKIP LOCKED', [limit]);
  return result.rows;
}

/** Whether any start is waiting, held by a worker or not: one statement and no transaction. */
export async function anyRecoveryStartWaiting(db: Queryable): Promise<boolean> {
  return (await db.query<{ waiting: boolean }>('SELECT EXISTS (SELECT 1 FROM recovery_starts) AS waiting')).rows[0]?.waiting === true;
}

export async function deleteRecoveryStarts(db: Queryable, ids: readonly string[]): Promise<void> {
  await db.query('DELETE FROM recovery_starts WHERE id = ANY($1::uuid[])', [ids]);
}

export async function countRecoveryStarts(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_starts')).rows[0]?.n ?? 0;
}

/** The claim survives a handler that fails: its work is undone back to here, then the row dropped. */
export async function keepClaimPoint(tx: Queryable): Promise<void> {
  await tx.query('SAVEPOINT recovery_start');
}

export async function undoToClaimPoint(tx: Queryable): Promise<void> {
  await tx.query('ROLLBACK TO SAVEPOINT recovery_start');
}

export async function releaseClaimPoint(tx: Queryable): Promise<void> {
  await tx.query('RELEASE SAVEPOINT recovery_start');
}

/**
 * Pending starts a secret check must see carried out first (a newer request voids older
 * secrets, S9): the flow's own start, and the starts of the same kind for the codice fiscale
 * of the flow's account or the one given. Oldest first.
 */
export async function pendingStartIds(db: Queryable, kind: RecoveryStartKind, about: { flowId?: string; codiceFiscale?: string }): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `SELECT id FROM recovery_starts
     WHERE id = $2::uuid
        OR (kind = $1 AND request->>'codiceFiscale' IN (
              $3::text,
              (SELECT a.codice_fiscale FROM recovery_flows AS f JOIN accounts AS a ON a.id = f.account_id WHERE f.id = $2::uuid)))
     ORDER BY requested_at`,
    [kind, about.flowId ?? null, about.codiceFiscale ?? null],
  );
  return result.rows.map((row) => row.id);
}
