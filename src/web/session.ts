// S19–S23 of SECURITY.md: opaque server-side sessions in an HttpOnly cookie, idle and
// absolute timeouts, required actions computed on every request.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { expiryPolicy, type Config } from '../config.ts';
import { acrOfSession, type Acr } from '../domain/assurance.ts';
import type { Clock } from '../domain/clock.ts';
import { AppError } from '../domain/errors.ts';
import { deviceCookieMaxAgeSeconds, deviceTokenFor } from '../domain/device.ts';
import { requiredActions, type AuthMethod, type RequiredAction } from '../domain/required-actions.ts';
import { hashToken } from '../domain/secrets.ts';
import { credentialState, updateAccountLanguage, type AccountRow } from '../store/accounts.repo.ts';
import type { Db } from '../store/db.ts';
import type { FederatedSignInRow } from '../store/federated-sign-ins.repo.ts';
import { deleteSession, findSessionWithAccount, touchSession } from '../store/sessions.repo.ts';

export const idleTimeoutSeconds = 30 * 60; // 30 minutes
export const absoluteTimeoutSeconds = 12 * 60 * 60; // 12 hours
const touchEverySeconds = 60; // last_seen_at is written at most once a minute per session

export interface CitizenSession {
  idHash: string;
  account: AccountRow;
  authMethod: AuthMethod;
  /** How strongly the session was authenticated (shared/API.md acr values). */
  acr: Acr;
  /** The SPID or CIE identity provider, for federated sessions. */
  provider: string | null;
  /** The login flow the session was opened by: where the journey resumes after required actions. */
  loginFlowId: string | null;
  createdAt: Date;
  requiredActions: RequiredAction[];
  /** The account's last SPID or CIE sign-in, read with the session on routes whose config asks (readsLinkedIdentity). */
  lastFederatedSignIn?: FederatedSignInRow | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    citizen: CitizenSession | null;
  }
  interface FastifyContextConfig {
    /** The route shows the account's linked SPID / CIE identity: it is read with the session, in the same statement. */
    readsLinkedIdentity?: boolean;
  }
}

export function sessionCookieName(config: Pick<Config, 'env'>): string {
  return config.env === 'production' ? '__Host-varco_session' : 'varco_session';
}

function deviceCookieName(config: Pick<Config, 'env'>): string {
  return config.env === 'production' ? '__Host-varco_device' : 'varco_device';
}

/** The browser's device cookie (new-device notices), if it sent a plausible one. */
export function deviceCookieOf(request: FastifyRequest): string | null {
  const value = request.cookies.varco_device ?? request.cookies['__Host-varco_device'];
  return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
}

export function setSessionCookie(reply: FastifyReply, config: Config, sessionId: string): void {
  reply.setCookie(sessionCookieName(config), sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.env === 'production',
    maxAge: absoluteTimeoutSeconds,
  });
  // A browser signing in for the first time keeps the device value its session was opened with (domain/device.ts).
  if (!deviceCookieOf(reply.request)) {
    reply.setCookie(deviceCookieName(config), deviceTokenFor(sessionId), {
      path: '/', httpOnly: true, sameSite: 'lax', secure: config.env === 'production', maxAge: deviceCookieMaxAgeSeconds,
    });
  }
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(sessionCookieName(config), { path: '/', httpOnly: true, sameSite: 'lax', secure: config.env === 'production' });
}

async function loadSession(deps: { db: Db; clock: Clock; config: Config }, sessionId: string, withLastFederatedSignIn: boolean): Promise<CitizenSession | null> {
  const idHash = hashToken(sessionId);
  const row = await findSessionWithAccount(deps.db, idHash, { withLastFederatedSignIn });
  if (!row) return null;
  const now = deps.clock.now();
  const idleFor = (now.getTime() - row.last_seen_at.getTime()) / 1000;
  const age = (now.getTime() - row.created_at.getTime()) / 1000;
  if (idleFor > idleTimeoutSeconds || age > absoluteTimeoutSeconds) {
    await deleteSession(deps.db, idHash);
    return null;
  }
  const { account } = row;
  if (idleFor > touchEverySeconds) await touchSession(deps.db, idHash, now);
  const authMethod = row.auth_method as AuthMethod;
  return {
    idHash,
    account,
    authMethod,
    acr: acrOfSession(authMethod, row.acr),
    provider: row.provider,
    loginFlowId: row.login_flow_id,
    createdAt: row.created_at,
    requiredActions: requiredActions(credentialState(account), authMethod, now, expiryPolicy(deps.config)),
    ...(row.lastFederatedSignIn !== undefined ? { lastFederatedSignIn: row.lastFederatedSignIn } : {}),
  };
}

export const sessionPlugin = fp(async (app: FastifyInstance, deps: { db: Db; clock: Clock; config: Config }) => {
  app.decorateRequest('citizen', null);
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/static/')) return;
    const sessionId = request.cookies[sessionCookieName(deps.config)];
    // Routing has happened by onRequest, so the route's config is known here.
    if (sessionId && sessionId.length <= 100) request.citizen = await loadSession(deps, sessionId, request.routeOptions.config.readsLinkedIdentity === true);
  });
  // Every message to an account goes out in its language: the one its holder reads the pages
  // in (the language plugin ran first). Flows render messages with account.language. Only a
  // page read (GET) that passed validation records it (a preHandler runs after validation), so
  // a refused request changes nothing (fuzz suites).
  app.addHook('preHandler', async (request) => {
    const citizen = request.citizen;
    if (citizen && request.method === 'GET' && !request.url.startsWith('/api/') && citizen.account.language !== request.lang) {
      await updateAccountLanguage(deps.db, citizen.account.id, request.lang);
      citizen.account = { ...citizen.account, language: request.lang };
    }
  });
});

export function requireCitizen(request: FastifyRequest): CitizenSession {
  if (!request.citizen) throw new AppError('unauthenticated');
  return request.citizen;
}

/** S23: while an action is pending, only the endpoints that resolve it may be used. */
export function requireNoPendingActions(request: FastifyRequest): CitizenSession {
  const session = requireCitizen(request);
  if (session.requiredActions.length > 0) {
    throw new AppError('action_required', { requiredActions: session.requiredActions });
  }
  return session;
}
