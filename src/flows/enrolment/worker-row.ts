// One enrolled worker as an administration sends it (a CSV record or a JSON object), checked
// and normalised without touching the store. A bad row becomes a rejection naming the row and
// the field; it never stops the rows around it.
import { deriveBirthData, fullBirthYear, parseCodiceFiscale, type CodiceFiscale } from '../../domain/codice-fiscale.ts';
import { normaliseMobile } from '../../domain/phone.ts';
import { isCleanText } from '../../domain/text-input.ts';

export type WorkerField = 'codiceFiscale' | 'firstName' | 'lastName' | 'email' | 'mobile' | 'birthDate';
export const workerFields: readonly WorkerField[] = ['codiceFiscale', 'firstName', 'lastName', 'email', 'mobile', 'birthDate'];
const requiredFields: readonly WorkerField[] = ['codiceFiscale', 'firstName', 'lastName', 'email', 'mobile'];

export type RejectionCode =
  | 'missing_field' | 'invalid_field' | 'invalid_codice_fiscale' | 'duplicate_row' | 'malformed_row' | 'malformed_csv' | 'too_many_rows';

export interface Rejection {
  row: number;
  code: RejectionCode;
  field?: WorkerField;
}

export interface WorkerRow {
  row: number;
  codiceFiscale: CodiceFiscale;
  firstName: string;
  lastName: string;
  email: string;
  mobile: string;
  /** As declared (ISO), null when absent. */
  birthDate: string | null;
}

// Header names as administrations' spreadsheets spell them, compared without case, spaces,
// underscores or dashes: the API's own names and the Italian ones.
const headerAliases: Record<string, WorkerField> = {
  codicefiscale: 'codiceFiscale', cf: 'codiceFiscale',
  firstname: 'firstName', nome: 'firstName',
  lastname: 'lastName', cognome: 'lastName',
  email: 'email', mail: 'email', posta: 'email', postaelettronica: 'email',
  mobile: 'mobile', cellulare: 'mobile', telefono: 'mobile', cell: 'mobile',
  birthdate: 'birthDate', datadinascita: 'birthDate', datanascita: 'birthDate',
};

/** Maps a header row to fields (null for a column we ignore); throws naming a missing column. */
export function mapHeader(header: readonly string[]): (WorkerField | null)[] {
  const mapped = header.map((name) => headerAliases[name.normalize('NFC').toLowerCase().replace(/[\s_.-]/g, '')] ?? null);
  const missing = requiredFields.find((field) => !mapped.includes(field));
  if (missing) throw new MissingColumnError(missing);
  return mapped;
}

export class MissingColumnError extends Error {
  readonly field: WorkerField;
  constructor(field: WorkerField) {
    super(`the header row has no ${field} column`);
    this.field = field;
  }
}

const maxNameLength = 100;
// Letters of any script with their accents, apostrophes (straight and typographic), spaces,
// dots and dashes: D'Angelo, Dell’Acqua, Nicolò, De Luca-Bianchi. No digits, no markup.
const namePattern = /^[\p{L}\p{M}]+(?:[ '’.-]+[\p{L}\p{M}]*)*$/u;
const emailPattern = /^[^\s@<>()[\],;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function normaliseName(input: string): string | null {
  const name = input.normalize('NFC').trim().replace(/\s+/g, ' ');
  return name.length <= maxNameLength && namePattern.test(name) ? name : null;
}

export function normaliseEmail(input: string): string | null {
  const email = input.trim().toLowerCase();
  return email.length <= 254 && emailPattern.test(email) ? email : null;
}

/** ISO 2026-01-31 or the Italian 31/01/2026; a real calendar date, not in the future. */
export function normaliseBirthDate(input: string, today: Date): string | null {
  const text = input.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const italian = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : italian ? [italian[3], italian[2], italian[1]] : [];
  if (!year || !month || !day) return null;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1 || date > today || Number(year) < 1900) return null;
  return date.toISOString().slice(0, 10);
}

type Checked = { ok: true; worker: WorkerRow } | { ok: false; rejection: Rejection };

/** Checks one row; `input` maps field names to the raw text (absent or empty = missing). */
export function checkWorker(row: number, input: Partial<Record<WorkerField, unknown>>, today: Date): Checked {
  const reject = (code: RejectionCode, field?: WorkerField): Checked => ({ ok: false, rejection: field ? { row, code, field } : { row, code } });
  const text: Partial<Record<WorkerField, string>> = {};
  for (const field of workerFields) {
    const value = input[field];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) continue;
    // S37: control characters and lone surrogates are refused in every field, CSV or JSON.
    if (typeof value !== 'string' || value.length > 300 || !isCleanText(value)) return reject('invalid_field', field);
    text[field] = value;
  }
  const missing = requiredFields.find((field) => text[field] === undefined);
  if (missing) return reject('missing_field', missing);
  const cf = parseCodiceFiscale(text.codiceFiscale!);
  if (!cf.ok) return reject('invalid_codice_fiscale', 'codiceFiscale');
  const firstName = normaliseName(text.firstName!);
  if (!firstName) return reject('invalid_field', 'firstName');
  const lastName = normaliseName(text.lastName!);
  if (!lastName) return reject('invalid_field', 'lastName');
  const email = normaliseEmail(text.email!);
  if (!email) return reject('invalid_field', 'email');
  const mobile = normaliseMobile(text.mobile!);
  if (!mobile) return reject('invalid_field', 'mobile');
  const birthDate = text.birthDate === undefined ? null : normaliseBirthDate(text.birthDate, today);
  if (text.birthDate !== undefined && !birthDate) return reject('invalid_field', 'birthDate');
  return { ok: true, worker: { row, codiceFiscale: cf.value, firstName, lastName, email, mobile, birthDate } };
}

/** The birth date stored on a new account: the declared one, else the one the codice fiscale encodes. */
export function accountBirthDate(worker: WorkerRow, today: Date): string | null {
  if (worker.birthDate) return worker.birthDate;
  const derived = deriveBirthData(worker.codiceFiscale);
  if (!derived) return null;
  const { year2, month, day } = derived.birthDate;
  const year = fullBirthYear(year2, { year: today.getUTCFullYear() });
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
