// SQL of identity mismatches (issue 10): SPID/CIE asserted other personal data than the
// account's. One open row per account, provider and assertion; operators mark it reviewed.
import type { Queryable } from '../../store/db.ts';

export interface MismatchRow {
  id: string;
  account_id: string;
  codice_fiscale: string;
  method: string;
  provider: string;
  fields: string;
  asserted_first_name: string;
  asserted_last_name: string;
  asserted_birth_date: string;
  registered_first_name: string;
  registered_last_name: string;
  registered_birth_date: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  occurrences: number;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  review_note: string | null;
}

export interface NewMismatch {
  accountId: string;
  method: 'spid' | 'cie';
  provider: string;
  fields: string[];
  asserted: { firstName: string; lastName: string; birthDate: string };
  registered: { firstName: string; lastName: string; birthDate: string | null };
}

/** Opens a mismatch, or counts one more sign-in on the same open one. Returns its id. */
export async function upsertOpenMismatch(tx: Queryable, mismatch: NewMismatch, now: Date): Promise<string> {
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO identity_mismatches (account_id, method, provider, fields, asserted_first_name, asserted_last_name, asserted_birth_date,
       registered_first_name, registered_last_name, registered_birth_date, first_seen_at, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
     ON CONFLICT (account_id, provider, asserted_first_name, asserted_last_name, asserted_birth_date) WHERE reviewed_at IS NULL
     DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, occurrences = identity_mismatches.occurrences + 1, method = EXCLUDED.method,
       fields = EXCLUDED.fields, registered_first_name = EXCLUDED.registered_first_name,
       registered_last_name = EXCLUDED.registered_last_name, registered_birth_date = EXCLUDED.registered_birth_date
     RETURNING id`,
    [mismatch.accountId, mismatch.method, mismatch.provider, mismatch.fields.join(','), mismatch.asserted.firstName, mismatch.asserted.lastName,
      mismatch.asserted.birthDate, mismatch.registered.firstName, mismatch.registered.lastName, mismatch.registered.birthDate, now]);
  return rows.rows[0]!.id;
}

const columns = `m.id, m.account_id, a.codice_fiscale, m.method, m.provider, m.fields, m.asserted_first_name, m.asserted_last_name,
  m.asserted_birth_date, m.registered_first_name, m.registered_last_name, to_char(m.registered_birth_date, 'YYYY-MM-DD') AS registered_birth_date,
  m.first_seen_at, m.last_seen_at, m.occurrences, m.reviewed_at, m.reviewed_by, m.review_note`;

export async function listMismatches(db: Queryable, status: 'open' | 'reviewed'): Promise<MismatchRow[]> {
  const rows = await db.query<MismatchRow>(
    `SELECT ${columns} FROM identity_mismatches m JOIN accounts a ON a.id = m.account_id
     WHERE ${status === 'open' ? 'm.reviewed_at IS NULL' : 'm.reviewed_at IS NOT NULL'}
     ORDER BY ${status === 'open' ? 'm.last_seen_at' : 'm.reviewed_at'} DESC LIMIT 500`);
  return rows.rows;
}

export async function countOpenMismatches(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM identity_mismatches WHERE reviewed_at IS NULL');
  return Number(rows.rows[0]?.n ?? 0);
}

export async function findMismatch(db: Queryable, id: string): Promise<MismatchRow | null> {
  const rows = await db.query<MismatchRow>(`SELECT ${columns} FROM identity_mismatches m JOIN accounts a ON a.id = m.account_id WHERE m.id = $1`, [id]);
  return rows.rows[0] ?? null;
}

/** Marks an open mismatch reviewed once: false when it was reviewed already (another operator). */
export async function markReviewed(tx: Queryable, id: string, review: { operatorId: string; note: string }, now: Date): Promise<boolean> {
  const updated = await tx.query('UPDATE identity_mismatches SET reviewed_at = $2, reviewed_by = $3, review_note = $4 WHERE id = $1 AND reviewed_at IS NULL',
    [id, now, review.operatorId, review.note]);
  return updated.rowCount === 1;
}
