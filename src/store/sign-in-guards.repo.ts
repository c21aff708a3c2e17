// Persists lockout decisions atomically: the guard row is locked while the domain decides,
// so parallel attempts (and instances) see each other's counts (S15).
import { afterSuccess, reserveAttempt, type AttemptDecision, type GuardState, type LockoutPolicy } from '../domain/lockout.ts';
import type { Db, Queryable } from './db.ts';

interface GuardRow {
  failures: number;
  locked_until: Date | null;
  lock_count: number;
}

async function writeGuard(tx: Queryable, subject: string, state: GuardState, now: Date): Promise<void> {
  await tx.query(
    'UPDATE sign_in_guards SET failures = $2, locked_until = $3, lock_count = $4, updated_at = $5 WHERE subject = $1',
    [subject, state.failures, state.lockedUntil, state.lockCount, now],
  );
}

export async function reserveSignInAttempt(db: Db, subject: string, now: Date, policy: LockoutPolicy): Promise<AttemptDecision> {
  return db.transaction(async (tx) => {
    // One statement creates the row if needed and locks it for this transaction.
    const row = await tx.query<GuardRow>(
      `INSERT INTO sign_in_guards (subject, updated_at) VALUES ($1, $2)
       ON CONFLICT (subject) DO UPDATE SET subject = EXCLUDED.subject RETURNING failures, locked_until, lock_count`,
      [subject, now],
    );
    const current = row.rows[0];
    const state: GuardState = current
      ? { failures: current.failures, lockedUntil: current.locked_until, lockCount: current.lock_count }
      : { failures: 0, lockedUntil: null, lockCount: 0 };
    const decision = reserveAttempt(state, now, policy);
    if (decision.allowed) await writeGuard(tx, subject, decision.state, now);
    return decision;
  });
}

export async function clearSignInGuard(tx: Queryable, subject: string, now: Date): Promise<void> {
  await writeGuard(tx, subject, afterSuccess(), now);
}

/** The attempt that set a provisional lock failed: the lock stands and the next one escalates. */
export async function confirmLock(tx: Queryable, subject: string, now: Date): Promise<void> {
  await tx.query('UPDATE sign_in_guards SET lock_count = lock_count + 1, updated_at = $2 WHERE subject = $1', [subject, now]);
}
