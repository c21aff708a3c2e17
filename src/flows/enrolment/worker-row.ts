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

/** Whitespace that normaliseName changes: a run of two, or any but a plain space. */
const untidySpace = /\s{2}|[^\S ]/;

export function normaliseName(input: string): string | null {
  const trimmed = input.normalize('NFC').trim();
  const name = untidySpace.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
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

const isAbsent = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function rejected(row: number, code: RejectionCode, field?: WorkerField): Checked {
  return { ok: false, rejection: field ? { row, code, field } : { row, code } };
}

/**
 * Checks one row; `input` maps field names to the raw text (absent or empty = missing). It runs
 * for each of up to 100,000 rows a request, so it reads the fields in place and allocates
 * only what it returns.
 */
export function checkWorker(row: number, input: Partial<Record<WorkerField, unknown>>, today: Date): Checked {
  for (const field of workerFields) {
    const value = input[field];
    if (isAbsent(value)) continue;
    // S37: control characters and lone surrogates are refused in every field, CSV or JSON.
    if (typeof value !== 'string' || value.length > 300 || !isCleanText(value)) return rejected(row, 'invalid_field', field);
  }
  for (const field of requiredFields) if (isAbsent(input[field])) return rejected(row, 'missing_field', field);
  // Every field present is a clean string now.
  const cf = parseCodiceFiscale(input.codiceFiscale as string);
  if (!cf.ok) return rejected(row, 'invalid_codice_fiscale', 'codiceFiscale');
  const firstName = normaliseName(input.firstName as string);
  if (!firstName) return rejected(row, 'invalid_field', 'firstName');
  const lastName = normaliseName(input.lastName as string);
  if (!lastName) return rejected(row, 'invalid_field', 'lastName');
  const email = normaliseEmail(input.email as string);
  if (!email) return rejected(row, 'invalid_field', 'email');
  const mobile = normaliseMobile(input.mobile as string);
  if (!mobile) return rejected(row, 'invalid_field', 'mobile');
  const declaredBirthDate = isAbsent(input.birthDate) ? undefined : (input.birthDate as string);
  const birthDate = declaredBirthDate === undefined ? null : normaliseBirthDate(declaredBirthDate, today);
  if (declaredBirthDate !== undefined && !birthDate) return rejected(row, 'invalid_field', 'birthDate');
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
