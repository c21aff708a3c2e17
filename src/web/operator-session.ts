// Operators act through their API token (automation) or a back-office session opened with
// their password; both resolve to the operator. Operator sessions are separate from citizens'
// (their own cookie, idle and absolute limits), so a citizen cookie never opens the desk.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Clock } from '../domain/clock.ts';
import { AppError } from '../domain/errors.ts';
import { hashToken } from '../domain/secrets.ts';
import type { Db } from '../store/db.ts';
import { deleteOperatorSession, findOperatorById, touchOperatorSession, type Operator } from '../store/operators.repo.ts';
import { requireApiRole } from './api-auth.ts';

export type { Operator };
export type DeskOperator = Operator & { sessionIdHash?: string };
type OperatorDeps = { db: Db; clock: Clock; config: Config };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the desk scope for every route in it. */
    operator: DeskOperator | null;
  }
}

const operatorIdleSeconds = 30 * 60; // 30 minutes
const operatorAbsoluteSeconds = 10 * 60 * 60; // 10 hours

export function operatorCookieName(config: Pick<Config, 'env'>): string {
  return config.env === 'production' ? '__Host-varco_desk' : 'varco_desk';
}

export function setOperatorCookie(reply: FastifyReply, config: Config, sessionId: string): void {
  reply.setCookie(operatorCookieName(config), sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.env === 'production' });
}

export function clearOperatorCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(operatorCookieName(config), { path: '/' });
}

/** The operator of the back-office session cookie, if it is live. */
export async function operatorFromSession(deps: OperatorDeps, request: FastifyRequest): Promise<DeskOperator | null> {
  const raw = request.cookies[operatorCookieName(deps.config)];
  if (!raw || raw.length > 100) return null;
  const idHash = hashToken(raw);
  const now = deps.clock.now();
  const operatorId = await touchOperatorSession(deps.db, idHash, now,
    new Date(now.getTime() - operatorIdleSeconds * 1000), new Date(now.getTime() - operatorAbsoluteSeconds * 1000));
  const operator = await findOperatorById(deps.db, operatorId);
  return operator ? { ...operator, sessionIdHash: idHash } : null;
}

/** Bearer token first (API clients), then the back-office session cookie. */
export async function requireOperator(deps: OperatorDeps, request: FastifyRequest): Promise<DeskOperator> {
  if (request.headers.authorization) {
    const principal = await requireApiRole(deps.db, request, 'operator');
    const operator = await findOperatorById(deps.db, principal.subjectId);
    if (!operator) throw new AppError('unauthenticated');
    return operator;
  }
  const operator = await operatorFromSession(deps, request);
  if (!operator) throw new AppError('unauthenticated');
  return operator;
}

/** Ends the back-office session of this request, if any, and clears its cookie. */
export async function endOperatorSession(deps: OperatorDeps, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const operator = await operatorFromSession(deps, request);
  if (operator?.sessionIdHash) await deleteOperatorSession(deps.db, operator.sessionIdHash);
  clearOperatorCookie(reply, deps.config);
}

/** The operator the desk scope resolved; routes of the scope can rely on it. */
export function currentOperator(request: FastifyRequest): DeskOperator {
  if (!request.operator) throw new AppError('unauthenticated');
  return request.operator;
}
