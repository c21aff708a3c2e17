// SQL for the account aggregate; parameters are always bound.
import type { CredentialState } from '../domain/required-actions.ts';
import type { Queryable } from './db.ts';

export interface AccountRow {
  id: string;
  codice_fiscale: string;
  first_name: string;
  last_name: string;
  birth_date: Date | null;
  email: string | null;
  email_verified: boolean;
  mobile: string | null;
  mobile_verified: boolean;
  pec: string | null;
  pec_verified: boolean;
  language: 'it' | 'en' | 'ro';
  password_hash: string | null;
  password_changed_at: Date | null;
  password_temporary_until: Date | null;
  pin_hash: string | null;
  pin_state: 'none' | 'initial' | 'active' | 'revoked';
  pending_actions: string[];
  created_at: Date;
}

export const accountRowKeys = [
  'id', 'codice_fiscale', 'first_name', 'last_name', 'birth_date', 'email', 'email_verified', 'mobile', 'mobile_verified',
  'pec', 'pec_verified', 'language', 'password_hash', 'password_changed_at', 'password_temporary_until', 'pin_hash',
  'pin_state', 'pending_actions', 'created_at',
] as const satisfies readonly (keyof AccountRow)[];
type EveryKey<Unread extends never> = Unread;
/** Compiles only while accountRowKeys names every field of AccountRow. */
export type AccountRowKeysComplete = EveryKey<Exclude<keyof AccountRow, (typeof accountRowKeys)[number]>>;

/**
 * AccountRow's columns of the accounts table under `alias`, for the reads that join the account
 * on every request (the session) and every sign-in. Issue 14: fewer columns than `alias.*`
 * (none of the security question's, no timestamp a request uses), so less for the driver to
 * parse; and a migration that adds a column to accounts leaves these prepared statements
 * valid (a prepared `SELECT *` fails once, see store/postgres.db.ts).
 */
export function accountColumns(alias: string): string {
  return accountRowKeys.map((key) => `${alias}.${key}`).join(', ');
}

export function credentialState(account: AccountRow): CredentialState {
  return {
    passwordChangedAt: account.password_changed_at,
    passwordTemporaryUntil: account.password_temporary_until,
    pinState: account.pin_state,
    pendingActions: account.pending_actions,
  };
}

export async function findAccountByCodiceFiscale(db: Queryable, codiceFiscale: string): Promise<AccountRow | null> {
  const result = await db.query<AccountRow>('SELECT * FROM accounts WHERE codice_fiscale = $1', [codiceFiscale]);
  return result.rows[0] ?? null;
}

export async function findAccountById(db: Queryable, id: string): Promise<AccountRow | null> {
  const result = await db.query<AccountRow>('SELECT * FROM accounts WHERE id = $1', [id]);
  return result.rows[0] ?? null;
}

export interface NewAccount {
  codiceFiscale: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  email: string | null;
  mobile: string | null;
  pec: string | null;
  passwordHash: string | null;
  passwordTemporaryUntil: Date | null;
  pendingActions?: string[];
}

/** Returns null when the codice fiscale is already registered. */
export async function insertAccount(db: Queryable, account: NewAccount, now: Date): Promise<AccountRow | null> {
  const result = await db.query<AccountRow>(
    `INSERT INTO accounts (codice_fiscale, first_name, last_name, birth_date, email, mobile, pec,
                           password_hash, password_changed_at, password_temporary_until, pending_actions,
                           created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $9, $9)
     ON CONFLICT (codice_fiscale) DO NOTHING RETURNING *`,
    [
      account.codiceFiscale,
      account.firstName,
      account.lastName,
      account.birthDate,
      account.email,
      account.mobile,
      account.pec,
      account.passwordHash,
      now,
      account.passwordTemporaryUntil,
      account.pendingActions ?? [],
    ],
  );
  return result.rows[0] ?? null;
}

/**
 * `replacing`: the hash the caller verified the current password against. The row changes only
 * while that hash is still the stored one, so of parallel changes made with the same current
 * password exactly one wins (S6: a temporary password serves one first access). False: it lost.
 */
export async function updatePassword(
  db: Queryable,
  accountId: string,
  change: { passwordHash: string; temporaryUntil: Date | null; replacing?: string | null },
  now: Date,
): Promise<boolean> {
  const guarded = change.replacing !== undefined;
  const result = await db.query(
    `UPDATE accounts SET password_hash = $2, password_changed_at = $3, password_temporary_until = $4, updated_at = $3
     WHERE id = $1${guarded ? ' AND password_hash IS NOT DISTINCT FROM $5' : ''}`,
    [accountId, change.passwordHash, now, change.temporaryUntil, ...(guarded ? [change.replacing] : [])],
  );
  return result.rowCount > 0;
}

/** Replaces the hash only (same password, stronger parameters): the password's age is unchanged. */
export async function rehashPassword(db: Queryable, accountId: string, oldHash: string, newHash: string): Promise<void> {
  await db.query('UPDATE accounts SET password_hash = $3 WHERE id = $1 AND password_hash = $2', [accountId, oldHash, newHash]);
}

const passwordHistoryDepth = 5;

export async function recentPasswordHashes(db: Queryable, accountId: string): Promise<string[]> {
  const result = await db.query<{ password_hash: string }>(
    'SELECT password_hash FROM password_history WHERE account_id = $1 ORDER BY created_at DESC LIMIT $2',
    [accountId, passwordHistoryDepth],
  );
  return result.rows.map((row) => row.password_hash);
}

export async function rememberPassword(db: Queryable, accountId: string, passwordHash: string, now: Date): Promise<void> {
  await db.query('INSERT INTO password_history (account_id, password_hash, created_at) VALUES ($1, $2, $3)', [
    accountId,
    passwordHash,
    now,
  ]);
  await db.query(
    `DELETE FROM password_history WHERE account_id = $1 AND created_at NOT IN
       (SELECT created_at FROM password_history WHERE account_id = $1 ORDER BY created_at DESC LIMIT $2)`,
    [accountId, passwordHistoryDepth],
  );
}

/** The language messages to the account go out in: the one its holder last read the pages in. */
export async function updateAccountLanguage(db: Queryable, accountId: string, language: 'it' | 'en' | 'ro'): Promise<void> {
  await db.query('UPDATE accounts SET language = $2 WHERE id = $1 AND language <> $2', [accountId, language]);
}
