// S32: logs never carry secrets. Headers that carry them are redacted and tokens that
// travel in URL paths (reset and confirmation links) are masked before logging.
import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

const tokenPaths = /^(\/(?:recovery\/password|recovery\/pin\/confirm|assistance\/confirm|assistance\/status|appointments|api\/v1\/appointments))\/[^?#]+/;

export function redactUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const maskedPath = path.replace(tokenPaths, '$1/[redacted]');
  if (!query) return maskedPath;
  const params = new URLSearchParams(query);
  for (const name of ['token', 'code', '_csrf', 'SAMLResponse', 'SAMLRequest', 'RelayState']) {
    if (params.has(name)) params.set(name, '[redacted]');
  }
  return `${maskedPath}?${params.toString()}`;
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.pin', '*.token', '*.code'],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: FastifyRequest) => ({ method: request.method, url: redactUrl(request.url), ip: request.ip }),
    },
  };
}
