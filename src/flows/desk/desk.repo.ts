// SQL of the desk's side of assistance requests: the queue, the document, the closing of a
// request and the registered email a resolution may replace. Parameters are always bound.
import type { Queryable } from '../../store/db.ts';

export interface QueueRow {
  id: string;
  codice_fiscale: string;
  category: string;
  status: string;
  created_at: Date;
  due_by: string | null;
  email: string;
  message: string;
  language: string;
}

const queueColumns = `id, codice_fiscale, category, status, created_at, to_char(due_by, 'YYYY-MM-DD') AS due_by, email, message, language`;

export async function listQueue(db: Queryable, status: string): Promise<QueueRow[]> {
  const rows = await db.query<QueueRow>(
    `SELECT ${queueColumns} FROM assistance_requests WHERE status = $1 ORDER BY due_by NULLS LAST, created_at LIMIT 500`, [status]);
  return rows.rows;
}

/** A request operators may see: every one but those never confirmed. */
export async function findVisibleRequest(db: Queryable, id: string): Promise<QueueRow | null> {
  const rows = await db.query<QueueRow>(`SELECT ${queueColumns} FROM assistance_requests WHERE id = $1 AND status <> 'unconfirmed'`, [id]);
  return rows.rows[0] ?? null;
}

export async function findRequestDocument(db: Queryable, id: string) {
  const rows = await db.query<{ document: Buffer | Uint8Array | null; document_media_type: string; document_name: string }>(
    `SELECT document, document_media_type, document_name FROM assistance_requests WHERE id = $1 AND status <> 'unconfirmed'`, [id]);
  return rows.rows[0] ?? null;
}

/** Closes a confirmed request once: false when another operator resolved it meanwhile. */
export async function closeRequest(
  tx: Queryable, id: string, closing: { status: 'resolved' | 'rejected'; outcome: string; note: string; operatorId: string }, now: Date,
): Promise<boolean> {
  const closed = await tx.query(
    `UPDATE assistance_requests SET status = $2, closed_at = $3, outcome = $4, resolution_note = $5, operator_id = $6
     WHERE id = $1 AND status = 'confirmed'`,
    [id, closing.status, now, closing.outcome, closing.note, closing.operatorId]);
  return closed.rowCount === 1;
}

export async function replaceRegisteredEmail(tx: Queryable, accountId: string, email: string, now: Date): Promise<void> {
  await tx.query('UPDATE accounts SET email = $2, email_verified = false, updated_at = $3 WHERE id = $1', [accountId, email, now]);
}

/**
 * A closed request's link for its status page: the confirmation link was used up, so its
 * token is replaced by a new one sent in the closing email (only the hash is stored).
 */
export async function replaceStatusToken(tx: Queryable, id: string, tokenHash: string): Promise<void> {
  await tx.query('UPDATE assistance_requests SET confirm_token_hash = $2 WHERE id = $1', [id, tokenHash]);
}
