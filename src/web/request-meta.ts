import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from '../domain/request-meta.ts';

export function requestMeta(request: FastifyRequest): RequestMeta {
  return { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300) };
}
