// Operators act through their API token (automation) or a back-office session opened with
// their password; both resolve to the operator. Operator sessions are separate from citizens'.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { AppError } from '../../domain/errors.ts';
import type { LockoutPolicy } from '../../domain/lockout.ts';
import { normalisePassword } from '../../domain/password-policy.ts';
import { hashToken, newToken } from '../../domain/secrets.ts';
import { clearSignInGuard, reserveSignInAttempt } from '../../store/sign-in-guards.repo.ts';
import { requireApiRole } from '../../web/api-auth.ts';
import type { FlowDeps } from '../deps.ts';
import { requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';
import { lockoutPolicy } from '../sign-in/verify-with-lockout.ts';

export interface Operator {
  id: string;
  codiceFiscale: string;
}

const operatorIdleSeconds = 30 * 60;
const operatorAbsoluteSeconds = 10 * 60 * 60;

export function operatorCookieName(config: Pick<Config, 'env'>): string {
  return config.env === 'production' ? '__Host-varco_desk' : 'varco_desk';
}

async function operatorById(deps: Pick<FlowDeps, 'db'>, id: string | null): Promise<Operator | null> {
  const row = await deps.db.query<{ id: string; codice_fiscale: string }>('SELECT id, codice_fiscale FROM operators WHERE id = $1', [id]);
  return row.rows[0] ? { id: row.rows[0].id, codiceFiscale: row.rows[0].codice_fiscale } : null;
}

export async function operatorFromSession(deps: Pick<FlowDeps, 'db' | 'clock' | 'config'>, request: FastifyRequest): Promise<(Operator & { sessionIdHash: string }) | null> {
  const raw = request.cookies[operatorCookieName(deps.config)];
  if (!raw || raw.length > 100) return null;
  const idHash = hashToken(raw);
  const now = deps.clock.now();
  const session = await deps.db.query<{ operator_id: string }>(
    `UPDATE operator_sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at > $3 AND created_at > $4 RETURNING operator_id`,
    [idHash, now, new Date(now.getTime() - operatorIdleSeconds * 1000), new Date(now.getTime() - operatorAbsoluteSeconds * 1000)],
  );
  const operator = await operatorById(deps, session.rows[0]?.operator_id ?? null);
  return operator ? { ...operator, sessionIdHash: idHash } : null;
}

/** Bearer token first (API clients), then the back-office session cookie. */
export async function requireOperator(deps: Pick<FlowDeps, 'db' | 'clock' | 'config'>, request: FastifyRequest): Promise<Operator> {
  if (request.headers.authorization) {
    const principal = await requireApiRole(deps.db, request, 'operator');
    const operator = await operatorById(deps, principal.subjectId);
    if (!operator) throw new AppError('unauthenticated');
    return operator;
  }
  const operator = await operatorFromSession(deps, request);
  if (!operator) throw new AppError('unauthenticated');
  return operator;
}

/** Password sign-in for the back office, with the same counted lockout as citizens (S15). */
export async function signInOperator(deps: FlowDeps, input: { codiceFiscale: string; password: string }, reply: FastifyReply): Promise<void> {
  const codiceFiscale = requireCodiceFiscale(input.codiceFiscale);
  const subject = `operator:${codiceFiscale}`;
  const policy: LockoutPolicy = lockoutPolicy(deps);
  const decision = await reserveSignInAttempt(deps.db, subject, deps.clock.now(), policy);
  if (!decision.allowed) throw new AppError('account_locked', { retryAfter: decision.retryAfterSeconds });
  const row = await deps.db.query<{ id: string; password_hash: string | null }>('SELECT id, password_hash FROM operators WHERE codice_fiscale = $1', [codiceFiscale]);
  const stored = row.rows[0]?.password_hash;
  const ok = stored ? await deps.hasher.verify(stored, normalisePassword(input.password)) : (await deps.hasher.verifyDummy(input.password), false);
  if (!ok || !row.rows[0]) throw new AppError('invalid_credentials');
  const sessionId = newToken(deps.random);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await clearSignInGuard(tx, subject, now);
    await tx.query('INSERT INTO operator_sessions (id_hash, operator_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)', [hashToken(sessionId), row.rows[0]!.id, now]);
  });
  reply.setCookie(operatorCookieName(deps.config), sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.config.env === 'production' });
}
