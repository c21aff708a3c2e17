// S38: telling "a dependency is down" apart from a bug. A lost or refused connection to
// PostgreSQL or Redis is an outage (503 with Retry-After, the client may try again); any
// other error stays a 500 so that defects are not hidden as outages.

// SQLSTATE classes and codes that mean the server is unreachable, shutting down or full.
const outageSqlStates = /^(08...|57P0[1-4]|53300|53400)$/;
const outageSystemCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// node-postgres and ioredis report some losses only in their message.
const outageMessages = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /connection is closed/i,
  /reached the max retries per request/i,
  /pglite is closed/i,
];

export function isDependencyOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (outageSqlStates.test(code) || outageSystemCodes.has(code))) return true;
  if (error instanceof AggregateError && error.errors.some(isDependencyOutage)) return true;
  return outageMessages.some((pattern) => pattern.test(error.message));
}
