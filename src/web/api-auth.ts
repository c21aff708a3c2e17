// Bearer tokens for the platform admin, administrations and operators.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.ts';
import { hashToken } from '../domain/secrets.ts';
import { findApiPrincipal, type ApiPrincipal, type ApiRole } from '../store/api-tokens.repo.ts';
import type { Queryable } from '../store/db.ts';

export async function requireApiRole(db: Queryable, request: FastifyRequest, role: ApiRole): Promise<ApiPrincipal> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{16,200})$/.exec(header);
  if (!match?.[1]) throw new AppError('unauthenticated');
  const principal = await findApiPrincipal(db, hashToken(match[1]));
  if (!principal) throw new AppError('unauthenticated');
  if (principal.role !== role) throw new AppError('forbidden');
  return principal;
}
