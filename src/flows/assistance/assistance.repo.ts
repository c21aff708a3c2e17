// Assistance requests (S7, S29): the confirmation token stored as SHA-256, the identity
// document as bytea that is never served inline and is erased 30 days after closing.
import type { Queryable } from '../../store/db.ts';

export interface NewAssistanceRequest {
  codiceFiscale: string;
  email: string;
  category: string;
  message: string;
  language: string;
  confirmTokenHash: string;
  confirmExpiresAt: Date;
  document: Buffer;
  documentMediaType: string;
  documentName: string;
}

export interface StatusRow { id: string; status: string; due_by: string | null; category: string; confirm_expires_at: Date }

export async function insertAssistanceRequest(tx: Queryable, request: NewAssistanceRequest, now: Date): Promise<string> {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO assistance_requests (codice_fiscale, email, category, message, language, status, confirm_token_hash, confirm_expires_at,
       document, document_media_type, document_name, created_at)
     VALUES ($1, $2, $3, $4, $5, 'unconfirmed', $6, $7, $8, $9, $10, $11) RETURNING id`,
    [request.codiceFiscale, request.email, request.category, request.message, request.language, request.confirmTokenHash, request.confirmExpiresAt,
      request.document, request.documentMediaType, request.documentName, now],
  );
  return inserted.rows[0]!.id;
}

/** Confirms once, while the link is live; later calls change nothing. */
export async function confirmRequest(db: Queryable, tokenHash: string, now: Date, dueBy: string): Promise<void> {
  await db.query(
    `UPDATE assistance_requests SET status = 'confirmed', confirmed_at = $2, due_by = $3
     WHERE confirm_token_hash = $1 AND status = 'unconfirmed' AND confirm_expires_at > $2`,
    [tokenHash, now, dueBy],
  );
}

export async function findRequestByToken(db: Queryable, tokenHash: string): Promise<StatusRow | null> {
  const result = await db.query<StatusRow>(
    `SELECT id, status, to_char(due_by, 'YYYY-MM-DD') AS due_by, category, confirm_expires_at
     FROM assistance_requests WHERE confirm_token_hash = $1`, [tokenHash]);
  return result.rows[0] ?? null;
}

/** Unconfirmed requests past their link expire (their document goes with them); closed ones lose the document after retention. */
export async function expireAndPurge(db: Queryable, now: Date, closedBefore: Date): Promise<{ expired: number; purged: number }> {
  const expired = await db.query(
    `UPDATE assistance_requests SET status = 'expired', closed_at = $1, document = NULL, document_deleted_at = $1
     WHERE status = 'unconfirmed' AND confirm_expires_at <= $1`, [now]);
  const purged = await db.query(
    `UPDATE assistance_requests SET document = NULL, document_deleted_at = $1
     WHERE closed_at <= $2 AND document_deleted_at IS NULL`, [now, closedBefore]);
  return { expired: expired.rowCount, purged: purged.rowCount };
}
