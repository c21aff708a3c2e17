// S15, S16 of SECURITY.md. An attempt is counted BEFORE the secret is verified, so that
// parallel attempts cannot verify more than `threshold` secrets between two locks; the
// attempt that reaches the threshold sets the lock at once and lifts it if it succeeds.

export interface GuardState {
  failures: number;
  lockedUntil: Date | null;
  lockCount: number;
}

export interface LockoutPolicy {
  threshold: number;
  baseLockSeconds: number;
  maxLockSeconds: number;
}

export type AttemptDecision =
  | { allowed: true; state: GuardState; locksOnFailure: boolean }
  | { allowed: false; state: GuardState; retryAfterSeconds: number };

export const freshGuard: GuardState = { failures: 0, lockedUntil: null, lockCount: 0 };

/** Each further lock doubles, up to a cap: escalation that never becomes permanent. */
export function lockDurationSeconds(lockCount: number, policy: LockoutPolicy): number {
  return Math.min(policy.baseLockSeconds * 2 ** Math.min(lockCount, 30), policy.maxLockSeconds);
}

export function reserveAttempt(state: GuardState, now: Date, policy: LockoutPolicy): AttemptDecision {
  if (state.lockedUntil && state.lockedUntil > now) {
    const retryAfterSeconds = Math.max(1, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
    return { allowed: false, state, retryAfterSeconds };
  }
  const failures = (state.lockedUntil ? 0 : state.failures) + 1;
  const locksOnFailure = failures >= policy.threshold;
  const lockedUntil = locksOnFailure
    ? new Date(now.getTime() + lockDurationSeconds(state.lockCount, policy) * 1000)
    : null;
  return { allowed: true, locksOnFailure, state: { failures, lockedUntil, lockCount: state.lockCount } };
}

/** The decision for a fresh guard, as a sign-in counts its attempt before reading the guard (issue 14). */
export function reserveFromFresh(now: Date, policy: LockoutPolicy): AttemptDecision & { allowed: true } {
  const decision = reserveAttempt(freshGuard, now, policy);
  if (!decision.allowed) throw new Error('unreachable: a fresh guard holds no lock');
  return decision;
}

/** A correct secret clears the count, any lock it provisionally set, and the escalation. */
export function afterSuccess(): GuardState {
  return freshGuard;
}
