// Persists lockout decisions atomically (S15) without holding a row lock across the hash
// (issue 14): the state is read, the domain decides, and the new state is written only if
// the row still holds what was read (compare-and-set). Parallel attempts (and instances)
// that raced retry on the fresh state, so none counts from a stale one.
import { afterSuccess, freshGuard, reserveAttempt, type AttemptDecision, type GuardState, type LockoutPolicy } from '../domain/lockout.ts';
import { accountColumns, type AccountRow } from './accounts.repo.ts';
import type { Db, Queryable } from './db.ts';

interface GuardRow {
  failures: number;
  locked_until: Date | null;
  lock_count: number;
}

const asState = (row: GuardRow | undefined): GuardState =>
  row ? { failures: row.failures, lockedUntil: row.locked_until, lockCount: row.lock_count } : freshGuard;

/** The statement of writeGuard, its parameters named by the caller (the after-change hook makes it part of one). */
export const writeGuardSql = (p: { subject: string; failures: string; lockedUntil: string; lockCount: string; now: string }): string =>
  `UPDATE sign_in_guards SET failures = ${p.failures}, locked_until = ${p.lockedUntil}, lock_count = ${p.lockCount}, updated_at = ${p.now} WHERE subject = ${p.subject}`;

async function writeGuard(tx: Queryable, subject: string, state: GuardState, now: Date): Promise<void> {
  await tx.query(writeGuardSql({ subject: '$1', failures: '$2', lockedUntil: '$3', lockCount: '$4', now: '$5' }),
    [subject, state.failures, state.lockedUntil, state.lockCount, now]);
}

export async function readSignInGuard(db: Queryable, subject: string): Promise<GuardState> {
  const result = await db.query<GuardRow>('SELECT failures, locked_until, lock_count FROM sign_in_guards WHERE subject = $1', [subject]);
  return asState(result.rows[0]);
}

export interface AccountWithGuard {
  account: AccountRow | null;
  /** The guard as it was before this statement. */
  guard: GuardState;
  device: { isNew: boolean; knewOthers: boolean };
  /** Whether the attempt was counted by the same statement (see findAccountCountingAttempt). */
  counted: boolean;
}

type AccountWithGuardRow = AccountRow & {
  guard_failures: number | null; guard_locked_until: Date | null; guard_lock_count: number | null; device_known: boolean; device_others: boolean; counted: boolean;
};

/**
 * The guard's compare-and-set: the row (absent counts as fresh) goes to the state written only
 * where it still holds the one expected. Each argument is an SQL expression (a placeholder).
 */
function guardCompareAndSetSql(
  write: { subject: string; failures: string; lockedUntil: string; lockCount: string; now: string },
  expected: { failures: string; lockedUntil: string; lockCount: string },
): string {
  return `INSERT INTO sign_in_guards AS g (subject, failures, locked_until, lock_count, updated_at)
       VALUES (${write.subject}, ${write.failures}, ${write.lockedUntil}, ${write.lockCount}, ${write.now})
     ON CONFLICT (subject) DO UPDATE SET failures = EXCLUDED.failures, locked_until = EXCLUDED.locked_until,
       lock_count = EXCLUDED.lock_count, updated_at = EXCLUDED.updated_at
     WHERE g.failures = ${expected.failures} AND g.locked_until IS NOT DISTINCT FROM ${expected.lockedUntil}::timestamptz
       AND g.lock_count = ${expected.lockCount}
     RETURNING 1`;
}

const compareAndSetSql = guardCompareAndSetSql(
  { subject: '$1', failures: '$2', lockedUntil: '$3', lockCount: '$4', now: '$5' }, { failures: '$6', lockedUntil: '$7', lockCount: '$8' });

// `counted` is the compare-and-set with the fresh state (no row, or one back at zero) as the
// expected one; the SELECT sees the guard as it was before the statement, as CTEs do.
const findCountingSql = `WITH counted AS (
       ${guardCompareAndSetSql({ subject: '$1', failures: '$3', lockedUntil: '$4', lockCount: '$5', now: '$6' }, { failures: '0', lockedUntil: 'NULL', lockCount: '0' })}
     )
     SELECT ${accountColumns('a')}, g.failures AS guard_failures, g.locked_until AS guard_locked_until, g.lock_count AS guard_lock_count,
       EXISTS (SELECT 1 FROM known_devices AS d WHERE d.account_id = a.id AND d.device_hash = $2) AS device_known,
       EXISTS (SELECT 1 FROM known_devices AS d WHERE d.account_id = a.id AND d.device_hash IS DISTINCT FROM $2) AS device_others,
       EXISTS (SELECT 1 FROM counted) AS counted
     FROM (SELECT $1::text AS subject) AS k
     LEFT JOIN accounts AS a ON a.codice_fiscale = k.subject
     LEFT JOIN sign_in_guards AS g ON g.subject = k.subject`;

function asAccountWithGuard(row: AccountWithGuardRow | undefined): AccountWithGuard {
  if (!row) return { account: null, guard: freshGuard, device: { isNew: true, knewOthers: false }, counted: false };
  const { guard_failures: failures, guard_locked_until: lockedUntil, guard_lock_count: lockCount, device_known: known, device_others: others, counted, ...account } = row;
  return {
    account: account.id ? (account as AccountRow) : null,
    guard: failures === null ? freshGuard : { failures, lockedUntil, lockCount: lockCount ?? 0 },
    device: { isNew: !known, knewOthers: others },
    counted,
  };
}

/**
 * The account (null when none), its guard and what it knows of the browser, and the attempt
 * counted when the guard is fresh, as it is for nearly every sign-in: issue 14, the one
 * statement before the hash. `next` is the domain's decision for a fresh guard
 * (reserveAttempt(freshGuard, …)). When the guard was not fresh nothing is written
 * (`counted` false) and the caller counts the attempt from the state read
 * (reserveSignInAttempt). `device.isNew` and `device.knewOthers` say whether a sign-in from
 * `deviceHash` (null: a browser without a device cookie) would be news to the account
 * (notices/new-device.ts).
 */
export async function findAccountCountingAttempt(db: Queryable, codiceFiscale: string, deviceHash: string | null, next: GuardState, now: Date): Promise<AccountWithGuard> {
  const result = await db.query<AccountWithGuardRow>(findCountingSql, [codiceFiscale, deviceHash, next.failures, next.lockedUntil, next.lockCount, now]);
  return asAccountWithGuard(result.rows[0]);
}

/** Writes `next` only if the row (absent counts as fresh) still holds `expected`; false when another attempt got there first. */
async function compareAndSetGuard(db: Queryable, subject: string, expected: GuardState, next: GuardState, now: Date): Promise<boolean> {
  const result = await db.query(
    compareAndSetSql,
    [subject, next.failures, next.lockedUntil, next.lockCount, now, expected.failures, expected.lockedUntil, expected.lockCount],
  );
  return result.rowCount === 1;
}

const maxRaces = 50;

/**
 * Counts the attempt before the secret is verified (S15): one statement when `known` (the
 * state read with the account) is still current, a re-read and another try when it is not.
 */
export async function reserveSignInAttempt(db: Db | Queryable, subject: string, now: Date, policy: LockoutPolicy, known?: GuardState): Promise<AttemptDecision> {
  let state = known ?? (await readSignInGuard(db, subject));
  for (let race = 0; race < maxRaces; race++) {
    const decision = reserveAttempt(state, now, policy);
    if (!decision.allowed) return decision;
    if (await compareAndSetGuard(db, subject, state, decision.state, now)) return decision;
    state = await readSignInGuard(db, subject);
  }
  throw new Error(`sign-in guard of ${subject.slice(0, 6)}… contended ${maxRaces} times`);
}

export async function clearSignInGuard(tx: Queryable, subject: string, now: Date): Promise<void> {
  await writeGuard(tx, subject, afterSuccess(), now);
}

/** The attempt that set a provisional lock failed: the lock stands and the next one escalates. */
export async function confirmLock(tx: Queryable, subject: string, now: Date): Promise<void> {
  await tx.query('UPDATE sign_in_guards SET lock_count = lock_count + 1, updated_at = $2 WHERE subject = $1', [subject, now]);
}
