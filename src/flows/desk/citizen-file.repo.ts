// SQL of what an operator compares with a document: the citizen's other requests and the
// messages that never reached them. Parameters are always bound.
import type { Queryable } from '../../store/db.ts';

export interface HistoryRow { id: string; category: string; status: string; created_at: Date; due_by: string | null; outcome: string | null }

export async function requestsOf(db: Queryable, codiceFiscale: string): Promise<HistoryRow[]> {
  const rows = await db.query<HistoryRow>(
    `SELECT id, category, status, created_at, to_char(due_by, 'YYYY-MM-DD') AS due_by, outcome FROM assistance_requests
     WHERE codice_fiscale = $1 AND status <> 'unconfirmed' ORDER BY created_at DESC LIMIT 50`, [codiceFiscale]);
  return rows.rows;
}

export interface FailedMessageRow { id: string; channel: string; recipient: string; kind: string; created_at: Date; last_error: string | null; resendable: boolean }

/** Failed messages to any of the given addresses (the citizen's registered contacts). */
export async function failedMessagesTo(db: Queryable, recipients: string[]): Promise<FailedMessageRow[]> {
  if (recipients.length === 0) return [];
  const rows = await db.query<FailedMessageRow>(
    `SELECT id, channel, recipient, kind, created_at, last_error, body_text IS NOT NULL AS resendable FROM outbox
     WHERE status = 'failed' AND recipient = ANY($1::text[]) ORDER BY created_at DESC LIMIT 50`, [recipients]);
  return rows.rows;
}

/** Puts a failed message back in the queue, with fresh attempts; false when it cannot be (gone, or its secret erased). */
export async function requeueFailed(tx: Queryable, id: string, recipients: string[], now: Date, giveUpAt: Date): Promise<boolean> {
  const result = await tx.query(
    `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $3, give_up_at = $4, last_error = NULL
     WHERE id = $1 AND status = 'failed' AND recipient = ANY($2::text[]) AND body_text IS NOT NULL`, [id, recipients, now, giveUpAt]);
  return result.rowCount === 1;
}
