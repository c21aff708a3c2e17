// AppError carries a stable code from shared/API.md. Codes double as translation keys
// (web/i18n) and are mapped once to a problem document in web/problem.ts.

export const errorStatus = {
  invalid_request: 400,
  invalid_codice_fiscale: 400,
  weak_password: 400,
  invalid_code: 400,
  two_contacts_required: 400,
  invalid_document: 400,
  identity_not_verified: 400,
  invalid_captcha: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  action_required: 403,
  csrf_invalid: 403,
  not_found: 404,
  account_not_found: 404,
  account_exists: 409,
  conflict: 409,
  flow_expired: 410,
  token_used: 410,
  token_expired: 410,
  token_invalid: 410,
  unsupported_media_type: 415,
  account_locked: 423,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
  overloaded: 503, // issue 14: the bounded hash queue is full; Retry-After says when to try again
  unavailable: 503, // S38: a dependency (database, Redis) is down; Retry-After says when to try again
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly extras: Record<string, unknown>;
  constructor(code: ErrorCode, extras: Record<string, unknown> = {}, detail?: string) {
    // An AppError is an answer (a problem document), not a fault: nothing reads its stack, and
    // capturing one cost about 7 µs, a tenth of a 503 refusal under overload (issue 14).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(detail ?? code);
    Error.stackTraceLimit = stackTraceLimit;
    this.code = code;
    this.extras = extras;
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
  /** Only client errors carry details to the caller; server errors stay generic. */
  get expose(): boolean {
    return this.status < 500;
  }
}
