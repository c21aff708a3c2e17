// buildApp(deps) → a Fastify instance with every route, without listening: main.ts listens,
// tests use app.inject.
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { loadDevIdp } from './dev/idp/idp.keys.ts';
import { createFederation } from './flows/federation/federation.context.ts';
import type { FlowDeps } from './flows/deps.ts';
import { flowMessages, flows } from './flows/manifest.ts';
import { crossSiteGuard } from './web/cross-site.ts';
import { errorPage } from './web/error-page.ts';
import { languagePlugin } from './web/language.ts';
import { loggerOptions } from './web/logging.ts';
import { routeScopes, type RouteScope, type RoutesPlugin } from './web/flow-module.ts';
import { installFlowMessages } from './web/i18n/index.ts';
import { documentProblems, markRouteScope } from './web/openapi.ts';
import { csrfBinding } from './web/page.ts';
import { frameworkErrorHandler, registerErrorHandling } from './web/problem.ts';
import { prepareScopes, scopeSetUps } from './web/scopes.ts';
import { stringField } from './web/request-field.ts';
import { securityHeaders } from './web/security-headers.ts';
import { textInputGuard } from './web/text-input.ts';
import { sessionPlugin } from './web/session.ts';

const bootstrapItaliaDir = fileURLToPath(new URL('../node_modules/bootstrap-italia/dist/', import.meta.url));
const ownStaticDir = fileURLToPath(new URL('./web/static/', import.meta.url));
const bodyLimitBytes = 1024 * 1024;

export interface AppOptions {
  logger?: boolean;
  /** Where logs go instead of stdout (the log-scanning security test reads them). */
  logStream?: DestinationStream;
}

export async function buildApp(deps: FlowDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  installFlowMessages(flowMessages());
  const app = Fastify({
    logger: options.logger === false ? false : { ...loggerOptions(deps.config.logLevel), ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: bodyLimitBytes,
    frameworkErrors: frameworkErrorHandler(),
    // Unknown fields are errors, not silently dropped; types are never coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });
  // JSON endpoints take JSON only (S24): without this parser text/plain would reach them.
  app.removeContentTypeParser('text/plain');

  await app.register(fastifySwagger, {
    transform: documentProblems,
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Varco API', version: '1.0.0', description: 'Identity and credential service (shared/API.md)' },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'varco_session' },
        },
      },
    },
  });
  await app.register(fastifyCookie);
  app.decorate('portal', deps.config.portal);
  await app.register(crossSiteGuard, { publicUrl: deps.config.publicUrl });
  await app.register(textInputGuard);
  await app.register(securityHeaders, { production: deps.config.env === 'production' });
  await app.register(fastifyCsrf, {
    cookieKey: deps.config.env === 'production' ? '__Host-varco_csrf' : 'varco_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: deps.config.env === 'production' },
    getUserInfo: csrfBinding,
    csrfOpts: { hmacKey: deps.config.sessionSecret },
    // Multipart forms are parsed inside their handler, so their token travels in the query.
    getToken: (request) => {
      return stringField(request.body, '_csrf') ?? stringField(request.query, '_csrf') ?? String(request.headers['x-csrf-token'] ?? '');
    },
  });
  await app.register(languagePlugin);
  await app.register(sessionPlugin, deps);
  await app.register(fastifyStatic, { root: bootstrapItaliaDir, prefix: '/static/bootstrap-italia/', maxAge: '1d' });
  await app.register(fastifyStatic, { root: ownStaticDir, prefix: '/static/', decorateReply: false, maxAge: '1h' });
  registerErrorHandling(app, errorPage);
  // SPID / CIE: the SP keys, metadata and IdP registry; in development the test IdP.
  const devIdp = deps.config.env === 'production' ? null : await loadDevIdp(deps.config);
  const federation = await createFederation(deps.config, { ...(devIdp ? { developmentIdp: devIdp.provider } : {}), log: (m) => app.log.warn(m) });
  app.decorate('federation', federation);
  app.decorate('devIdp', devIdp);
  app.addHook('onClose', async () => federation?.registry.stop());

  await registerFlows(app, deps);
  return app;
}

/** Each scope once (web/scopes.ts), and in it the routes every flow of the manifest puts there. */
async function registerFlows(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  prepareScopes(app);
  const present = flows.filter((flow) => !('developmentOnly' in flow && flow.developmentOnly) || deps.config.env !== 'production');
  for (const scope of routeScopes) {
    await app.register(async (scoped) => {
      markRouteScope(scoped, scope);
      await scopeSetUps[scope](scoped, deps);
      for (const flow of present) {
        const routes = ('routes' in flow ? (flow.routes as Partial<Record<RouteScope, RoutesPlugin<FlowDeps>>>) : {})[scope];
        if (routes) await scoped.register(routes, deps);
      }
    });
  }
}
