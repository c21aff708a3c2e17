import type { FastifyRequest } from 'fastify';
import { deviceHashOf } from '../domain/device.ts';
import type { RequestMeta } from '../domain/request-meta.ts';
import { deviceCookieOf } from './session.ts';

export function requestMeta(request: FastifyRequest): RequestMeta {
  const device = deviceCookieOf(request);
  return { ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '').slice(0, 300), deviceHash: device ? deviceHashOf(device) : null };
}
