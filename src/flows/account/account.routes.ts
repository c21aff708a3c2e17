// GET /api/v1/me, GET /api/v1/me/activity and the personal area page.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { expiryPolicy } from '../../config.ts';
import { levelOfAcr } from '../../domain/assurance.ts';
import { passwordExpiresAt, requiredActionPages, type RequiredAction } from '../../domain/required-actions.ts';
import { credentialState, type AccountRow } from '../../store/accounts.repo.ts';
import { accountActivity } from '../../store/audit.repo.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { requireCitizen, requireNoPendingActions, type CitizenSession } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { areaBody, type AreaNotice } from './views/area.page.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const MeResponse = Type.Object({
  codiceFiscale: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  email: Nullable(Type.String()),
  mobile: Nullable(Type.String()),
  pec: Nullable(Type.String()),
  emailVerified: Type.Boolean(),
  mobileVerified: Type.Boolean(),
  requiredActions: Type.Array(Type.String()),
  password: Type.Object({ set: Type.Boolean(), expiresAt: Nullable(Type.String()) }),
  pin: Type.Object({ state: Type.Union(['none', 'initial', 'active', 'revoked'].map((s) => Type.Literal(s))) }),
  signedInWith: Type.Object({
    method: Type.Union(['password', 'pin', 'spid', 'cie'].map((m) => Type.Literal(m))),
    level: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    provider: Type.Optional(Type.String()),
  }),
});

/** How the session was opened (shared/API.md "Federation"): level and provider for SPID / CIE only. */
export function signedInWith(session: CitizenSession) {
  const level = session.authMethod === 'spid' || session.authMethod === 'cie' ? levelOfAcr(session.acr) : null;
  return {
    method: session.authMethod,
    ...(level !== null ? { level } : {}),
    ...(session.provider ? { provider: session.provider } : {}),
  };
}

const ActivityResponse = Type.Object({
  events: Type.Array(
    Type.Object({ type: Type.String(), at: Type.String(), ip: Nullable(Type.String()), userAgent: Nullable(Type.String()) }),
  ),
});

export function describeAccount(deps: FlowDeps, account: AccountRow, actions: RequiredAction[]) {
  const expiresAt = account.password_hash ? passwordExpiresAt(credentialState(account), expiryPolicy(deps.config)) : null;
  return {
    codiceFiscale: account.codice_fiscale,
    firstName: account.first_name,
    lastName: account.last_name,
    email: account.email,
    mobile: account.mobile,
    pec: account.pec,
    emailVerified: account.email_verified,
    mobileVerified: account.mobile_verified,
    requiredActions: actions,
    password: { set: account.password_hash !== null, expiresAt: expiresAt?.toISOString() ?? null },
    pin: { state: account.pin_state },
  };
}


export function redirectToPendingAction(reply: FastifyReply, actions: RequiredAction[]) {
  const first = actions[0];
  return first ? redirectTo(reply, requiredActionPages[first]) : null;
}

export async function accountRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  app.get('/api/v1/me', { schema: { tags: ['account'], response: { 200: MeResponse } } }, async (request, reply) => {
    const session = requireCitizen(request);
    reply.header('Cache-Control', 'no-store');
    return { ...describeAccount(deps, session.account, session.requiredActions), signedInWith: signedInWith(session) };
  });

  app.get('/api/v1/me/activity', { schema: { tags: ['account'], response: { 200: ActivityResponse } } }, async (request, reply) => {
    const session = requireNoPendingActions(request);
    reply.header('Cache-Control', 'no-store');
    const events = await accountActivity(deps.db, session.account.id);
    return { events: events.map((event) => ({ ...event, at: event.at.toISOString() })) };
  });

  app.get('/', { schema: { hide: true } }, async (request, reply) => redirectTo(reply, request.citizen ? '/area' : '/signin'));

  app.get('/area', { schema: { hide: true } }, async (request, reply) => {
    const session = request.citizen;
    if (!session) return redirectTo(reply, '/signin');
    const pending = redirectToPendingAction(reply, session.requiredActions);
    if (pending) return pending;
    const ctx = pageContext(request, reply);
    const events = await accountActivity(deps.db, session.account.id, 10);
    const view = describeAccount(deps, session.account, []);
    const { pin, password } = request.query as { pin?: string; password?: string };
    const notice: AreaNotice | undefined = pin === 'changed' || pin === 'revoked' ? `pin_${pin}` : password === 'changed' ? 'password_changed' : undefined;
    return sendPage(reply, ctx, { title: ctx.t('area.title'), body: areaBody(ctx, view, events, notice) });
  });
}
