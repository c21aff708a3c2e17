// SQL of enrolment. A chunk of rows costs a fixed handful of statements whatever its size:
// each takes the chunk as ONE json parameter and reads it with json_to_recordset (parameters
// stay bound, no SQL is built from data). One JSON.stringify per chunk is native and cheap;
// a text[] per column is escaped element by element in JavaScript by the driver, which was
// most of the upload's CPU and garbage.
import type { Queryable } from '../../store/db.ts';
import type { WorkerRow } from './worker-row.ts';

export const enrolmentPendingActions = ['verify_email', 'set_security_question', 'verify_mobile'];

/**
 * Accounts for codici fiscali not yet registered: no password, the completion actions pending.
 * `birthDateOf` gives the birth date a new account stores. Returns the new accounts' ids by codice fiscale.
 */
export async function insertWorkerAccounts(
  tx: Queryable, rows: readonly WorkerRow[], birthDateOf: (row: WorkerRow) => string | null, now: Date,
): Promise<Map<string, string>> {
  const result = await tx.query<{ id: string; codice_fiscale: string }>(
    `INSERT INTO accounts (codice_fiscale, first_name, last_name, birth_date, email, mobile, pending_actions, created_at, updated_at)
     SELECT cf, fn, ln, bd, em, mo, $2::text[], $3, $3
     FROM json_to_recordset($1::json) AS r (cf text, fn text, ln text, bd date, em text, mo text)
     ON CONFLICT (codice_fiscale) DO NOTHING
     RETURNING id, codice_fiscale`,
    [JSON.stringify(rows.map((r) => ({ cf: r.codiceFiscale, fn: r.firstName, ln: r.lastName, bd: birthDateOf(r), em: r.email, mo: r.mobile }))),
      enrolmentPendingActions, now],
  );
  const ids = new Map<string, string>();
  for (const row of result.rows) ids.set(row.codice_fiscale, row.id);
  return ids;
}

export interface ExistingAccount {
  id: string;
  codice_fiscale: string;
  email: string | null;
  language: 'it' | 'en' | 'ro';
  /** Nobody has ever held a credential: the administration's data may still replace it. */
  unclaimed: boolean;
}

export async function lockAccounts(tx: Queryable, codiciFiscali: readonly string[]): Promise<ExistingAccount[]> {
  if (codiciFiscali.length === 0) return [];
  const result = await tx.query<ExistingAccount>(
    `SELECT id, codice_fiscale, email, language,
            (password_hash IS NULL AND pin_hash IS NULL AND NOT email_verified) AS unclaimed
     FROM accounts WHERE codice_fiscale = ANY($1::text[]) ORDER BY codice_fiscale FOR UPDATE`,
    [codiciFiscali],
  );
  return result.rows;
}

/** Workers with their account ids (`accountIds[i]` is `rows[i]`'s), as the one json parameter of a statement. */
function workersJson(rows: readonly WorkerRow[], accountIds: readonly string[]): string {
  return JSON.stringify(rows.map((r, i) => ({ id: accountIds[i], fn: r.firstName, ln: r.lastName, em: r.email, mo: r.mobile, bd: r.birthDate })));
}

/**
 * Brings unclaimed accounts in line with the declared data; returns the ids whose email
 * changed. A claimed account keeps its contacts: only its holder changes them (with a code),
 * so an administration's file cannot redirect someone's recovery messages.
 */
export async function refreshUnclaimedAccounts(tx: Queryable, rows: readonly WorkerRow[], accountIds: readonly string[], now: Date): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const result = await tx.query<{ id: string }>(
    `WITH r AS (SELECT * FROM json_to_recordset($1::json) AS r (id uuid, fn text, ln text, em text, mo text, bd date)),
     old AS (SELECT a.id, a.email FROM accounts a JOIN r ON r.id = a.id)
     UPDATE accounts a SET first_name = r.fn, last_name = r.ln, email = r.em, mobile = r.mo,
       birth_date = COALESCE(r.bd, a.birth_date), updated_at = $2
     FROM r JOIN old ON old.id = r.id
     WHERE a.id = r.id AND (a.first_name, a.last_name, a.email, a.mobile, COALESCE(r.bd, a.birth_date))
       IS DISTINCT FROM (r.fn, r.ln, r.em, r.mo, a.birth_date)
     RETURNING a.id, old.email IS DISTINCT FROM r.em AS email_changed`,
    [workersJson(rows, accountIds), now],
  );
  return new Set((result.rows as { id: string; email_changed?: boolean }[]).filter((row) => row.email_changed).map((row) => row.id));
}

/**
 * The administration's own record of each worker. Returns the rows inserted or changed
 * (xmax = 0 marks an insert); a row equal to the stored one is neither, hence unchanged.
 */
export async function upsertMemberships(
  tx: Queryable, administrationId: string, rows: readonly WorkerRow[], accountIds: readonly string[], now: Date,
): Promise<{ inserted: Set<string>; updated: Set<string> }> {
  const result = await tx.query<{ account_id: string; inserted: boolean }>(
    `INSERT INTO administration_workers (administration_id, account_id, first_name, last_name, email, mobile, birth_date, enrolled_at, updated_at)
     SELECT $1, id, fn, ln, em, mo, bd, $3, $3
     FROM json_to_recordset($2::json) AS r (id uuid, fn text, ln text, em text, mo text, bd date)
     ON CONFLICT (administration_id, account_id) DO UPDATE SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
       email = EXCLUDED.email, mobile = EXCLUDED.mobile, birth_date = EXCLUDED.birth_date, updated_at = EXCLUDED.updated_at
     WHERE (administration_workers.first_name, administration_workers.last_name, administration_workers.email,
            administration_workers.mobile, administration_workers.birth_date)
       IS DISTINCT FROM (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.email, EXCLUDED.mobile, EXCLUDED.birth_date)
     RETURNING account_id, (xmax = 0) AS inserted`,
    [administrationId, workersJson(rows, accountIds), now],
  );
  const inserted = new Set<string>();
  const updated = new Set<string>();
  for (const row of result.rows) (row.inserted ? inserted : updated).add(row.account_id);
  return { inserted, updated };
}

export async function findAdministration(db: Queryable, id: string): Promise<{ id: string; code: string; name: string } | null> {
  const result = await db.query<{ id: string; code: string; name: string }>('SELECT id, code, name FROM administrations WHERE id = $1', [id]);
  return result.rows[0] ?? null;
}

export interface EnrolledWorkerRow {
  codice_fiscale: string;
  first_name: string;
  last_name: string;
  email: string;
  mobile: string;
  enrolled_at: Date;
  has_password: boolean;
  password_temporary: boolean;
  pending_actions: string[];
}

/** Only this administration's workers, in codice fiscale order, one page after `after`. */
export async function listWorkers(db: Queryable, administrationId: string, page: { after: string; limit: number }): Promise<EnrolledWorkerRow[]> {
  const result = await db.query<EnrolledWorkerRow>(
    `SELECT a.codice_fiscale, w.first_name, w.last_name, w.email, w.mobile, w.enrolled_at,
            a.password_hash IS NOT NULL AS has_password, a.password_temporary_until IS NOT NULL AS password_temporary, a.pending_actions
     FROM administration_workers w JOIN accounts a ON a.id = w.account_id
     WHERE w.administration_id = $1 AND a.codice_fiscale > $2
     ORDER BY a.codice_fiscale LIMIT $3`,
    [administrationId, page.after, page.limit],
  );
  return result.rows;
}

/**
 * A chunk's commit need not wait for its own disk flush: the request's final commit waits for
 * all of them. A crash in between loses chunks the client was never told about, and a re-send
 * is idempotent.
 */
export async function commitChunkWithoutFlush(tx: Queryable): Promise<void> {
  await tx.query('SET LOCAL synchronous_commit = off');
}
