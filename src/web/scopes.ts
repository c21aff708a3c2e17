// Fastify scopes carry what every route of a kind needs, so no route can forget it
// (ARCHITECTURE.md "Page scopes"):
// - pages: form bodies, and the CSRF check on EVERY POST (S24);
// - citizen: a session, and its required actions (S23): a page with an action pending sends
//   the browser to the page that resolves the first one; the API answers 403 action_required.
//   A route that resolves an action names it in `config.resolvesAction`; GET /api/v1/me
//   stays readable with `config.allowPendingActions` (README "Reading of the contract");
// - desk: an operator, by API token or back-office session;
// - admin: the platform-admin token, checked before the body is even validated.
// The hooks run at preHandler (after CSRF and validation), the order the routes had when
// each checked these itself.
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Clock } from '../domain/clock.ts';
import { AppError } from '../domain/errors.ts';
import { requiredActionPages, type RequiredAction } from '../domain/required-actions.ts';
import type { Db } from '../store/db.ts';
import { requireApiRole } from './api-auth.ts';
import type { RouteScope } from './flow-module.ts';
import { operatorFromSession, requireOperator } from './operator-session.ts';
import { redirectTo } from './page.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The required action this route clears: it stays open while that action is the first pending. */
    resolvesAction?: RequiredAction;
    /** Readable whatever is pending (GET /api/v1/me reports the actions). */
    allowPendingActions?: boolean;
    /** Where a page of the citizen scope sends a visitor without a session. */
    signInPath?: string;
    /**
     * A multipart form whose route checks the CSRF token itself once the body is read
     * (checkCsrf), so that the token rides in the body and never in the address bar.
     */
    csrfAfterMultipart?: boolean;
  }
  interface FastifyInstance {
    /** Every route of the page scopes, so that a test can prove each POST checks CSRF. */
    pageRoutes: { method: string; url: string; scope: RouteScope | undefined }[];
  }
}

export interface ScopeDeps {
  db: Db;
  clock: Clock;
  config: Config;
}

const formBodyLimitBytes = 64 * 1024;

/** The first pending action this route may not ignore, or null. */
function blockingAction(request: FastifyRequest): RequiredAction | null {
  const first = request.citizen?.requiredActions[0];
  if (!first) return null;
  const config = request.routeOptions.config;
  return config.allowPendingActions || config.resolvesAction === first ? null : first;
}

async function pagesScope(app: FastifyInstance): Promise<void> {
  await app.register(fastifyFormbody, { bodyLimit: formBodyLimitBytes });
  // Before validation: a forged post learns nothing about the form, not even its schema.
  app.addHook('preValidation', (request, reply, done) => {
    if (request.method !== 'POST') return done();
    const multipart = String(request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
    if (multipart && request.routeOptions.config.csrfAfterMultipart) return done();
    app.csrfProtection(request, reply, done);
  });
  app.addHook('onRoute', (route) => {
    // routeScope was set by markRouteScope's hook, registered before this one.
    for (const method of [route.method].flat()) app.pageRoutes.push({ method, url: route.url, scope: route.config?.routeScope });
  });
}

/** For csrfAfterMultipart routes: the same check as the scope's, on the body the route has read. */
export function checkCsrf(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  return new Promise((resolve, reject) => {
    app.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()));
  });
}

function citizenPagesHook(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (!request.citizen) return redirectTo(reply, request.routeOptions.config.signInPath ?? '/signin');
  const blocked = blockingAction(request);
  return blocked ? redirectTo(reply, requiredActionPages[blocked]) : undefined;
}

function requireCitizenFree(request: FastifyRequest): void {
  if (!request.citizen) throw new AppError('unauthenticated');
  if (blockingAction(request)) throw new AppError('action_required', { requiredActions: request.citizen.requiredActions });
}

type ScopeSetUp = (app: FastifyInstance, deps: ScopeDeps) => Promise<void>;

export const scopeSetUps: Record<RouteScope, ScopeSetUp> = {
  api: async () => undefined,
  citizenApi: async (app) => {
    app.addHook('preHandler', async (request) => requireCitizenFree(request));
  },
  deskApi: async (app, deps) => {
    app.addHook('preHandler', async (request) => {
      request.operator = await requireOperator(deps, request);
    });
  },
  adminApi: async (app, deps) => {
    app.addHook('onRequest', async (request) => void (await requireApiRole(deps.db, request, 'platform_admin')));
  },
  pages: pagesScope,
  bindings: async (app) => {
    await app.register(fastifyFormbody, { bodyLimit: formBodyLimitBytes });
  },
  citizenPages: async (app) => {
    await pagesScope(app);
    app.addHook('preHandler', async (request, reply) => citizenPagesHook(request, reply));
  },
  deskPages: async (app, deps) => {
    await pagesScope(app);
    app.addHook('preHandler', async (request, reply) => {
      request.operator = await operatorFromSession(deps, request);
      if (!request.operator) return redirectTo(reply, '/desk/signin');
      return undefined;
    });
  },
};

/** Root decorations the scopes rely on; called once by buildApp before any scope. */
export function prepareScopes(app: FastifyInstance): void {
  app.decorate('pageRoutes', []);
  app.decorateRequest('operator', null);
}
