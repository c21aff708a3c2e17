// Codes that prove a contact (S8, S9): 6 digits from the CSPRNG, valid 10 minutes, 5 attempts,
// single use, voided when a newer one is issued. Stored as an HMAC keyed with a server secret:
// a million candidates would reverse an unkeyed hash of a 6-digit code at once.
//
// This module is deliberately small and self-contained: the shared one-time-secret module
// (built on another branch) has the same properties and can replace it behind issueCode and
// spendCode without touching the flows.
import { createHmac } from 'node:crypto';
import { addSeconds } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { constantTimeEqual, newNumericCode } from '../../domain/secrets.ts';
import type { Queryable, Transaction } from '../../store/db.ts';
import type { FlowDeps } from '../deps.ts';
import { insertCode, spend, takeAttempt, voidCodes } from './verification-codes.repo.ts';

export type CodePurpose = 'verify_email' | 'verify_mobile' | 'change_email' | 'change_mobile' | 'change_pec';

export const codeTtlSeconds = 10 * 60;
export const maxCodeAttempts = 5;
const codeDigits = 6;

/** The HMAC binds the code to its account and purpose: a stored hash is useless elsewhere. */
function codeHash(config: FlowDeps['config'], accountId: string, purpose: CodePurpose, code: string): string {
  const key = createHmac('sha256', config.sessionSecret).update('varco:contact-verification-code').digest();
  return createHmac('sha256', key).update(`${accountId}\n${purpose}\n${code}`).digest('base64url');
}

/** Issues a code in the caller's transaction (with the message that carries it); returns the code to send. */
export async function issueCode(
  tx: Queryable, deps: Pick<FlowDeps, 'random' | 'clock' | 'config'>, request: { accountId: string; purpose: CodePurpose; target: string },
): Promise<string> {
  const now = deps.clock.now();
  const code = newNumericCode(deps.random, codeDigits);
  await voidCodes(tx, request.accountId, request.purpose, now);
  await insertCode(tx, { ...request, codeHash: codeHash(deps.config, request.accountId, request.purpose, code),
    expiresAt: addSeconds(now, codeTtlSeconds) }, now);
  return code;
}

/**
 * Checks a code and, when it is right, spends it and runs `work` with the address it was sent
 * to, in one transaction. Wrong, expired, used, voided or exhausted → invalid_code (with the
 * attempts left), indistinguishably.
 */
export async function spendCode<T>(
  deps: Pick<FlowDeps, 'db' | 'clock' | 'config'>, request: { accountId: string; purpose: CodePurpose; code: string },
  work: (tx: Transaction, target: string) => Promise<T>,
): Promise<T> {
  const live = await takeAttempt(deps.db, request.accountId, request.purpose, maxCodeAttempts, deps.clock.now());
  if (!live) throw new AppError('invalid_code', { attemptsLeft: 0 });
  const wellFormed = /^\d{6}$/.test(request.code);
  const expected = codeHash(deps.config, request.accountId, request.purpose, wellFormed ? request.code : '');
  if (!wellFormed || !constantTimeEqual(expected, live.code_hash)) {
    throw new AppError('invalid_code', { attemptsLeft: Math.max(0, maxCodeAttempts - live.attempts) });
  }
  return deps.db.transaction(async (tx) => {
    if (!(await spend(tx, live.id, deps.clock.now()))) throw new AppError('invalid_code', { attemptsLeft: 0 }); // a parallel confirmation won
    return work(tx, live.target);
  });
}
