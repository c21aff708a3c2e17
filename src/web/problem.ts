// Every error becomes an RFC 9457 problem document (API) or a friendly page (HTML),
// with the stable code of shared/API.md. S28: no stack, SQL or library detail leaks.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorStatus, type ErrorCode } from '../domain/errors.ts';
import { isDependencyOutage } from '../store/outage.ts';
import { translator } from './i18n/index.ts';
import { resolveLanguage } from './language.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  [extra: string]: unknown;
}

const outageRetryAfterSeconds = 5;

export type ErrorPageRenderer = (request: FastifyRequest, reply: FastifyReply, problem: Problem) => string;

interface ValidationIssue {
  instancePath?: string;
  params?: Record<string, unknown>;
  message?: string;
}

function fieldOf(issue: ValidationIssue): string {
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const extra = issue.params?.additionalProperty ?? issue.params?.missingProperty;
  return [path, typeof extra === 'string' ? extra : ''].filter(Boolean).join('.') || '(body)';
}

/** Maps anything thrown to an AppError; unknown errors become internal_error. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isDependencyOutage(error)) return new AppError('unavailable', { retryAfter: outageRetryAfterSeconds });
  const fastifyError = error as Partial<FastifyError> & { validation?: ValidationIssue[] };
  if (fastifyError.validation) {
    const errors = fastifyError.validation.map((issue) => ({ field: fieldOf(issue), message: issue.message ?? 'invalid' }));
    return new AppError('invalid_request', { errors });
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type');
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return new AppError('csrf_invalid');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('invalid_request', { errors: [{ field: '(body)', message: 'body too large' }] });
  }
  const status = fastifyError.statusCode ?? 500;
  if (status === 404) return new AppError('not_found');
  if (status >= 400 && status < 500) {
    return new AppError('invalid_request', { errors: [{ field: '(body)', message: 'malformed request' }] });
  }
  return new AppError('internal_error');
}

export function problemFor(request: FastifyRequest, error: AppError): Problem {
  const t = translator(resolveLanguage(request).lang);
  return {
    type: `urn:varco:problem:${error.code}`,
    title: t(`error.${error.code}`),
    status: error.status,
    code: error.code,
    ...(error.expose && error.message !== error.code ? { detail: error.message } : {}),
    ...error.extras,
  };
}

function wantsHtml(request: FastifyRequest): boolean {
  // An operation of /openapi.json (/healthz, /metrics…) answers the problem document it documents.
  const schema = request.routeOptions.schema as { hide?: boolean } | undefined;
  if (request.routeOptions.url !== undefined && schema && !schema.hide) return false;
  return !request.url.startsWith('/api/') && !request.url.startsWith('/dev/outbox?') && !request.url.startsWith('/.well-known/');
}

/** A refusal that ends at a known time says when to come back (S17), on pages too. */
export function setRetryAfter(reply: FastifyReply, error: AppError): void {
  if (!['rate_limited', 'account_locked', 'unavailable', 'overloaded'].includes(error.code)) return;
  const retryAfter = error.extras.retryAfter;
  if (typeof retryAfter === 'number') reply.header('Retry-After', String(retryAfter));
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError, renderPage?: ErrorPageRenderer) {
  const problem = problemFor(request, error);
  setRetryAfter(reply, error);
  reply.status(error.status).header('Cache-Control', 'no-store');
  if (renderPage && wantsHtml(request)) {
    return reply.type('text/html; charset=utf-8').send(renderPage(request, reply, problem));
  }
  return reply.type('application/problem+json').send(problem);
}

export function registerErrorHandling(app: FastifyInstance, renderPage: ErrorPageRenderer): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    // A full hash queue is load, not a fault: a log line per refusal would add to the load.
    if (appError.status >= 500 && appError.code !== 'overloaded') request.log.error({ err: error }, 'request failed');
    return sendProblem(request, reply, appError, renderPage);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, new AppError('not_found'), renderPage));
}

/**
 * Fastify's `frameworkErrors`: a malformed percent-encoding or an over-long path parameter is
 * refused by the router before any route runs; it answers the same 400 problem as any bad
 * input (not Fastify's own 400/414 body, which /openapi.json does not describe).
 */
export function frameworkErrorHandler() {
  // Before routing no plugin has run (no cookies, no language): the problem in the default language.
  return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    const refused = new AppError('invalid_request', { errors: [{ field: '(path)', message: error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'too long' : 'malformed' }] });
    const problem = { type: `urn:varco:problem:${refused.code}`, title: translator('it')(`error.${refused.code}`), status: refused.status, code: refused.code, ...refused.extras };
    return reply.status(refused.status).header('Cache-Control', 'no-store').type('application/problem+json').send(problem);
  };
}

export const allErrorCodes = Object.keys(errorStatus) as ErrorCode[];
