// /openapi.json tells the truth about every operation (ARCHITECTURE.md "Page scopes"):
// - the success status is the route's own schema (`noContent` for a 204, `htmlOrJson` where
//   one path answers both);
// - the problem documents are added here, by the route's scope (what every route of that
//   kind can answer: bad input, a session or token missing, a dependency down…) plus the
//   codes only that operation answers (`operationProblems`). Each documented status lists
//   the exact `code` values it can carry, so a new error code is a documentation change.
// Only the description changes: nothing here reaches validation or serialisation.
// test/helpers/openapi-contract.ts checks every response the API suites receive against it.
import type { SwaggerTransform } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { errorStatus, type ErrorCode } from '../domain/errors.ts';
import type { RouteScope } from './flow-module.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope the route was registered in (web/scopes.ts), for its documented problems. */
    routeScope?: RouteScope;
  }
}

/** A 204 response: no body (typed loosely so that handlers keep `reply.status(204).send()`). */
export const noContent = { type: 'null', description: 'No Content' } as { description: string };

/** A 200 that answers a page without a query and JSON with one (the development mailbox). */
export function htmlOrJson(json: object) {
  return {
    description: 'A page (text/html) or, with a query, JSON',
    content: { 'application/json': { schema: json }, 'text/html': { schema: { type: 'string' } } },
  };
}

const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What every route of a scope can answer, whatever its handler does. */
function scopeProblems(scope: RouteScope | undefined, method: string): ErrorCode[] {
  // Bad input (schema, malformed JSON, S37 control characters) and a dependency down (S38).
  const codes: ErrorCode[] = ['invalid_request', 'unavailable'];
  // A body of another type (S24) and a cross-site request carrying the session cookie (S36).
  if (bodyMethods.has(method)) codes.push('unsupported_media_type', 'csrf_invalid');
  if (scope === 'citizenApi') codes.push('unauthenticated', 'action_required');
  if (scope === 'deskApi' || scope === 'adminApi') codes.push('unauthenticated', 'forbidden');
  return codes;
}

/**
 * The codes only one operation answers (shared/API.md), by "METHOD /path". `overloaded`: the
 * operations that verify a password, PIN or security answer, refused when the hash queue is full.
 */
export const operationProblems: Record<string, ErrorCode[]> = {
  'POST /api/v1/session': ['invalid_codice_fiscale', 'invalid_credentials', 'account_locked', 'rate_limited', 'overloaded'],
  'POST /api/v1/admin/oidc/clients': ['unauthenticated', 'forbidden'],
  'GET /api/v1/admin/oidc/clients': ['unauthenticated', 'forbidden'],
  'DELETE /api/v1/admin/oidc/clients/:clientId': ['unauthenticated', 'forbidden', 'not_found'],
  'GET /api/v1/me/services': ['unauthenticated', 'action_required'],
  'DELETE /api/v1/me/services/:clientId': ['unauthenticated', 'action_required', 'not_found'],
  'DELETE /api/v1/me/sessions/:sessionId': ['not_found'],
  'POST /api/v1/recovery/password': ['invalid_codice_fiscale', 'invalid_captcha', 'rate_limited'],
  'POST /api/v1/recovery/password/:flowId/code': ['invalid_code', 'flow_expired', 'rate_limited'],
  'POST /api/v1/recovery/password/second-factor': ['invalid_code', 'flow_expired', 'token_invalid', 'token_used', 'token_expired', 'rate_limited'],
  // invalid_credentials and account_locked: a wrong answer to the security question (issue 12).
  'POST /api/v1/recovery/password/complete': ['weak_password', 'invalid_code', 'invalid_credentials', 'account_locked', 'token_used', 'token_expired', 'token_invalid', 'rate_limited', 'overloaded'],
  'POST /api/v1/recovery/pin': ['invalid_codice_fiscale', 'two_contacts_required', 'invalid_captcha', 'rate_limited'],
  'POST /api/v1/recovery/pin/confirm': ['invalid_codice_fiscale', 'invalid_code', 'account_locked', 'rate_limited', 'overloaded'],
  'POST /api/v1/assistance/requests': ['invalid_codice_fiscale', 'invalid_document', 'invalid_captcha', 'rate_limited'],
  'POST /api/v1/assistance/confirm': ['token_used', 'token_expired', 'token_invalid'],
  'GET /api/v1/appointments/offices/:officeId/slots': ['not_found'],
  'POST /api/v1/appointments': ['invalid_codice_fiscale', 'not_found', 'conflict', 'rate_limited'],
  'GET /api/v1/appointments/:token': ['not_found', 'token_invalid'],
  'POST /api/v1/appointments/:token/cancel': ['not_found', 'token_invalid', 'conflict'],
  'POST /api/v1/enrolments': ['unauthenticated', 'forbidden'],
  'GET /api/v1/enrolments/workers': ['unauthenticated', 'forbidden'],
  // The profile-completion routes check the session themselves (they resolve required actions).
  'POST /api/v1/me/email/verification': ['unauthenticated', 'action_required', 'conflict', 'rate_limited'],
  'POST /api/v1/me/email/verification/confirm': ['unauthenticated', 'action_required', 'invalid_code', 'flow_expired'],
  'POST /api/v1/me/mobile/verification': ['unauthenticated', 'action_required', 'conflict', 'rate_limited'],
  'POST /api/v1/me/mobile/verification/confirm': ['unauthenticated', 'action_required', 'invalid_code', 'flow_expired'],
  'PUT /api/v1/me/security-question': ['unauthenticated', 'action_required'],
  'PUT /api/v1/me/contacts': ['conflict', 'rate_limited'],
  'POST /api/v1/me/contacts/confirm': ['invalid_code', 'flow_expired'],
  'POST /api/v1/me/password': ['invalid_credentials', 'weak_password', 'account_locked', 'overloaded'],
  'POST /api/v1/me/pin/change': ['conflict', 'rate_limited'],
  'POST /api/v1/me/pin/change/:changeId': ['invalid_credentials', 'invalid_code', 'flow_expired', 'conflict', 'account_locked', 'overloaded'],
  'POST /api/v1/me/pin/revoke': ['conflict'],
  'POST /api/v1/desk/accounts/:codiceFiscale/pin': ['invalid_codice_fiscale', 'identity_not_verified', 'account_not_found', 'conflict', 'rate_limited'],
  'POST /api/v1/desk/accounts/:codiceFiscale/pin/revoke': ['invalid_codice_fiscale', 'account_not_found', 'conflict'],
  'POST /api/v1/desk/accounts/:codiceFiscale/temporary-password': ['invalid_codice_fiscale', 'identity_not_verified', 'account_not_found', 'rate_limited'],
  'GET /api/v1/desk/requests/:id/document': ['not_found'],
  'GET /api/v1/desk/accounts/:codiceFiscale/messages': ['invalid_codice_fiscale', 'account_not_found'],
  'POST /api/v1/desk/accounts/:codiceFiscale/messages/:messageId/resend': ['invalid_codice_fiscale', 'account_not_found', 'conflict'],
  'POST /api/v1/desk/requests/:id/resolve': ['identity_not_verified', 'not_found', 'conflict', 'account_not_found', 'rate_limited'],
  'POST /api/v1/desk/identity-mismatches/:id/review': ['not_found', 'conflict'],
  'POST /api/v1/admin/offices': ['conflict'],
  'POST /api/v1/admin/administrations': ['conflict'],
  'POST /api/v1/admin/accounts': ['invalid_codice_fiscale', 'account_exists', 'weak_password'],
  'POST /api/v1/admin/operators': ['invalid_codice_fiscale', 'conflict'],
};

export function problemSchema(status: number, codes: readonly ErrorCode[]) {
  return {
    type: 'object',
    required: ['type', 'title', 'status', 'code'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer', enum: [status] },
      code: { type: 'string', enum: [...codes] },
      detail: { type: 'string' },
      errors: {
        type: 'array',
        items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
      },
      retryAfter: { type: 'integer' },
    },
    additionalProperties: true,
  };
}

/** The problem responses of one operation, by status. */
export function problemResponses(method: string, url: string, scope: RouteScope | undefined): Record<string, object> {
  const codes = new Set([...scopeProblems(scope, method), ...(operationProblems[`${method} ${url}`] ?? [])]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code]);
  const responses: Record<string, object> = {};
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: statusCodes.join(', '),
      content: { 'application/problem+json': { schema: problemSchema(status, statusCodes) } },
    };
  }
  return responses;
}

/** The security requirement of the routes a citizen's session cookie authenticates. */
export const sessionSecurity = [{ sessionCookie: [] }];

/** @fastify/swagger `transform`: the route's own responses, then its problem responses. */
export const documentProblems: SwaggerTransform = ({ schema, url, route }) => {
  if (!schema || (schema as { hide?: boolean }).hide) return { schema, url };
  const method = [route.method].flat()[0] ?? 'GET';
  const own = (schema.response ?? {}) as Record<string, unknown>;
  const response = { ...problemResponses(method, route.url, route.config?.routeScope), ...own };
  // Every route of the citizen scope needs the session cookie: said here, so none can forget it.
  const security = schema.security ?? (route.config?.routeScope === 'citizenApi' ? sessionSecurity : undefined);
  return { schema: { ...schema, response, ...(security ? { security } : {}) }, url };
};

/** Marks every route registered in `scoped` with its scope (read by documentProblems). */
export function markRouteScope(scoped: FastifyInstance, scope: RouteScope): void {
  scoped.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), routeScope: scope };
  });
}

/** A 200 whose body is a file of one of these media types (a download). */
export function fileResponse(mediaTypes: readonly string[]) {
  return {
    description: 'The file',
    content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
  };
}

/** A 200 in plain text (the Prometheus exposition format). */
export const plainText = { description: 'Plain text', content: { 'text/plain': { schema: { type: 'string' } } } } as const;
