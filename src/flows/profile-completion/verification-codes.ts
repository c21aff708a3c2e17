// Codes that prove a contact (S8, S9): 6 digits, valid 10 minutes, 5 attempts, single use,
// voided when a newer one is issued — all of it the one-time-secret module's. This file only
// adds what a contact code needs beside it: the address the code went to, kept in a
// contact_proofs row that owns the code as its flow. A code resent to the same address within
// the hour belongs to the same proof, so resending does not reset the attempts spent (S8);
// once a proof has spent them all, a new one starts (the hourly limit on sending codes bounds
// the guesses: 5 codes × 5 attempts an hour).
import { AppError } from '../../domain/errors.ts';
import type { Queryable, Transaction } from '../../store/db.ts';
import { attemptsSpent, codeMatches, consumeSecret, countAttempt, issueSecret, liveSecret } from '../credentials/one-time-secret.ts';
import type { FlowDeps } from '../deps.ts';
import { latestProof, openProof, proofTarget, recentProof } from './verification-codes.repo.ts';

export type CodePurpose = 'verify_email' | 'verify_mobile' | 'change_email' | 'change_mobile' | 'change_pec';

export const codeTtlSeconds = 10 * 60;
export const maxCodeAttempts = 5;
const proofReuseSeconds = 60 * 60;

/** Issues a code in the caller's transaction (with the message that carries it); returns the code to send. */
export async function issueCode(
  tx: Queryable, deps: Pick<FlowDeps, 'random' | 'clock' | 'config'>, request: { accountId: string; purpose: CodePurpose; target: string },
): Promise<string> {
  const now = deps.clock.now();
  const recent = await recentProof(tx, request, new Date(now.getTime() - proofReuseSeconds * 1000));
  const proofId = recent && (await attemptsSpent(tx, recent, request.purpose)) < maxCodeAttempts ? recent : await openProof(tx, request, now);
  const issued = await issueSecret(tx, deps, {
    purpose: request.purpose, accountId: request.accountId, flowId: proofId, ttlSeconds: codeTtlSeconds, maxAttempts: maxCodeAttempts,
  });
  return issued.secret;
}

export interface OpenProof {
  /** The address the latest code of this purpose went to. */
  target: string;
  /** Its code while it can still be tried; null once expired, voided, used or out of attempts. */
  code: { expiresAt: Date; attemptsLeft: number } | null;
}

/**
 * What a change of this purpose waits on: the proof whose code is live (usable, or out of
 * attempts), else the latest proof within the hour a resend would reuse, its code expired.
 */
export async function openProofOf(deps: Pick<FlowDeps, 'db' | 'clock'>, owner: { accountId: string; purpose: CodePurpose }): Promise<OpenProof | null> {
  const now = deps.clock.now();
  const live = await liveSecret(deps.db, { purpose: owner.purpose, accountId: owner.accountId }, now);
  const liveTarget = live?.flow_id ? await proofTarget(deps.db, live.flow_id) : null;
  if (live && liveTarget) {
    return { target: liveTarget, code: live.attempts < live.max_attempts ? { expiresAt: live.expires_at, attemptsLeft: live.max_attempts - live.attempts } : null };
  }
  const proof = await latestProof(deps.db, owner, new Date(now.getTime() - proofReuseSeconds * 1000));
  return proof ? { target: proof.target, code: null } : null;
}

/**
 * Checks a code and, when it is right, spends it and runs `work` with the address it was sent
 * to, in one transaction. The attempt is counted before the comparison. Wrong, expired, used,
 * voided or exhausted → invalid_code (with the attempts left), indistinguishably.
 */
export async function spendCode<T>(
  deps: Pick<FlowDeps, 'db' | 'clock' | 'config'>, request: { accountId: string; purpose: CodePurpose; code: string },
  work: (tx: Transaction, target: string) => Promise<T>,
): Promise<T> {
  const live = await countAttempt(deps.db, { purpose: request.purpose, accountId: request.accountId }, deps.clock.now());
  if (!codeMatches(deps, live, request.code) || !live) {
    throw new AppError('invalid_code', { attemptsLeft: live ? Math.max(0, live.max_attempts - live.attempts) : 0 });
  }
  return deps.db.transaction(async (tx) => {
    const spent = await consumeSecret(tx, live.id, deps.clock.now());
    const target = spent?.flow_id ? await proofTarget(tx, spent.flow_id) : null;
    if (!target) throw new AppError('invalid_code', { attemptsLeft: 0 }); // a parallel confirmation won
    return work(tx, target);
  });
}
