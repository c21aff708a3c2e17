// S25 of SECURITY.md: CSP without inline scripts or styles, no framing, no referrer (tokens
// travel in some paths), HSTS in production, and nothing cached but static assets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets, read once off a stub response: with these options none depends on
 * the request, and helmet's middleware rebuilt the policy string for every response (issue 14:
 * about 4 µs of a 503 refusal's 100 under overload, and as much of every page).
 */
function helmetHeaders(options: HelmetOptions): readonly (readonly [string, string])[] {
  const headers: [string, string][] = [];
  const response = { setHeader: (name: string, value: string) => headers.push([name, value]), removeHeader: () => undefined };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => { failure = error; });
  if (failure) throw failure;
  return headers;
}

export const securityHeaders = fp(async (app: FastifyInstance, options: { production: boolean }) => {
  // Built once: @fastify/helmet rebuilt helmet's middleware (parsing the policy) on every
  // request, and the garbage of that was most of a page's cost (issue 14: the sign-in page
  // went from 1,470 to 6,185 req/s).
  const headers = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    hsts: options.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    // The legacy header says what frame-ancestors 'none' says, for browsers that only read it.
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/static/') && !reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
  });
});
