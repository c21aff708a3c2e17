// S1, S3, S15: every secret check of a citizen goes through here. The attempt is counted
// before verifying; unknown accounts verify against a dummy hash so they cost the same.
// Issue 14: no transaction or row lock is held while the hash runs; a full hash queue is
// refused (503 overloaded) before the attempt is counted, so load never costs an attempt.
import { AppError } from '../../domain/errors.ts';
import type { AttemptDecision, GuardState, LockoutPolicy } from '../../domain/lockout.ts';
import type { AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import { clearSignInGuard, confirmLock, reserveSignInAttempt } from '../../store/sign-in-guards.repo.ts';
import { requireHashCapacity } from '../back-pressure.ts';
import { wasntMeLink } from '../notices/wasnt-me.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';

const maxLockSeconds = 24 * 60 * 60; // escalation stops at one day (S16)

export function lockoutPolicy(deps: Pick<FlowDeps, 'config'>): LockoutPolicy {
  return {
    threshold: deps.config.lockoutThreshold,
    baseLockSeconds: deps.config.lockoutSeconds,
    maxLockSeconds: Math.max(maxLockSeconds, deps.config.lockoutSeconds),
  };
}

/** An argon2id hash to verify (a dummy one when null), or a check of its own (a keyed HMAC code, S5). */
type SecretCheck = { storedHash: string | null; secret: string } | { check: () => boolean | Promise<boolean> };

export interface VerifyOptions {
  /** The guard state read together with the account (saves a statement before the hash). */
  knownGuard?: GuardState;
  /** The attempt was counted already, in the statement that read the account: this decision. */
  counted?: AttemptDecision & { allowed: true };
  /** The caller clears the guard itself (back to afterSuccess()), in the write that acts on the success. */
  deferClear?: boolean;
}

export async function verifyWithLockout(
  deps: FlowDeps,
  attempt: { codiceFiscale: string; account: AccountRow | null } & SecretCheck,
  meta: RequestMeta,
  options: VerifyOptions = {},
): Promise<void> {
  // A counted attempt passed the capacity check before it was counted: refusing it now would
  // cost the citizen an attempt for the load (the queue's bound is passed by at most the
  // sign-ins between that check and their hash, as before the count moved into the read).
  if (!('check' in attempt) && !options.counted) requireHashCapacity(deps);
  const now = deps.clock.now();
  const decision = options.counted ?? await reserveSignInAttempt(deps.db, attempt.codiceFiscale, now, lockoutPolicy(deps), options.knownGuard);
  if (!decision.allowed) {
    await recordAudit(deps.db, now, {
      type: 'sign_in_refused', actor: `citizen:${attempt.codiceFiscale}`, accountId: attempt.account?.id,
      ...meta, outcome: 'refused', details: { reason: 'locked' },
    });
    throw new AppError('account_locked', { retryAfter: decision.retryAfterSeconds, lockedUntil: new Date(now.getTime() + decision.retryAfterSeconds * 1000).toISOString() });
  }

  const matches = 'check' in attempt
    ? await attempt.check()
    : attempt.storedHash
      ? await deps.hasher.verify(attempt.storedHash, attempt.secret)
      : (await deps.hasher.verifyDummy(attempt.secret), false);

  if (matches) {
    if (!options.deferClear) await clearSignInGuard(deps.db, attempt.codiceFiscale, deps.clock.now());
    return;
  }
  const actor = `citizen:${attempt.codiceFiscale}`;
  // Not a secret: the per-codice-fiscale counter exists for unknown codici fiscali too, so the
  // count is the same whether or not the account exists.
  const wrong = new AppError('invalid_credentials', { attemptsLeft: Math.max(0, deps.config.lockoutThreshold - decision.state.failures) });
  const failed = { type: 'sign_in_failed', actor, accountId: attempt.account?.id, ...meta, outcome: 'failure' } as const;
  if (!decision.locksOnFailure) {
    await recordAudit(deps.db, deps.clock.now(), failed); // one statement: no transaction needed
    throw wrong;
  }
  await deps.db.transaction(async (tx) => {
    const at = deps.clock.now();
    await recordAudit(tx, at, failed);
    await confirmLock(tx, attempt.codiceFiscale, at);
    await recordAudit(tx, at, { type: 'account_locked', actor: 'system', accountId: attempt.account?.id, ...meta, outcome: 'success' });
    const email = attempt.account?.email;
    if (attempt.account && email && decision.state.lockedUntil) {
      await deps.outbox.enqueue(tx, {
        channel: 'email', to: email, kind: 'account_locked', language: attempt.account.language,
        params: { at: at.toISOString(), until: decision.state.lockedUntil.toISOString(), ip: meta.ip,
          recoveryUrl: `${deps.config.publicUrl}/recovery/password`, wasntMeUrl: await wasntMeLink(tx, deps, attempt.account.id) },
      });
    }
  });
  throw wrong;
}
