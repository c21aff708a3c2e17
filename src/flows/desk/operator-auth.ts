// The back-office sign-in of operators: password with the same counted lockout as citizens
// (S15), then an opaque session id whose SHA-256 is stored. The cookie and the per-request
// operator check live in web/operator-session.ts (the desk scope).
import { AppError } from '../../domain/errors.ts';
import type { LockoutPolicy } from '../../domain/lockout.ts';
import { normalisePassword } from '../../domain/password-policy.ts';
import { hashToken, newToken } from '../../domain/secrets.ts';
import { findOperatorCredentials, insertOperatorSession } from '../../store/operators.repo.ts';
import { clearSignInGuard, reserveSignInAttempt } from '../../store/sign-in-guards.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { limitByAddress, requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';
import { lockoutPolicy } from '../sign-in/verify-with-lockout.ts';

export type { Operator } from '../../store/operators.repo.ts';

/** Returns the new session id, for the caller to set as the operator cookie. */
export async function signInOperator(deps: FlowDeps, input: { codiceFiscale: string; password: string }, meta: Pick<RequestMeta, 'ip'>): Promise<string> {
  // The citizens' per-address budget (S17), shared with them: one address gets one budget.
  await limitByAddress(deps, 'sign-in', meta.ip, deps.config.signInPerIpPerMinute);
  const codiceFiscale = requireCodiceFiscale(input.codiceFiscale);
  const subject = `operator:${codiceFiscale}`;
  const policy: LockoutPolicy = lockoutPolicy(deps);
  const decision = await reserveSignInAttempt(deps.db, subject, deps.clock.now(), policy);
  if (!decision.allowed) throw new AppError('account_locked', { retryAfter: decision.retryAfterSeconds });
  const row = await findOperatorCredentials(deps.db, codiceFiscale);
  const stored = row?.password_hash;
  const ok = stored ? await deps.hasher.verify(stored, normalisePassword(input.password)) : (await deps.hasher.verifyDummy(input.password), false);
  if (!ok || !row) throw new AppError('invalid_credentials');
  const sessionId = newToken(deps.random);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await clearSignInGuard(tx, subject, now);
    await insertOperatorSession(tx, hashToken(sessionId), row.id, now);
  });
  return sessionId;
}
