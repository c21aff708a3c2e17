// GET /api/v1/me, GET /api/v1/me/activity and the personal area page.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { expiryPolicy } from '../../config.ts';
import { levelOfAcr } from '../../domain/assurance.ts';
import { passwordExpiresAt, type RequiredAction } from '../../domain/required-actions.ts';
import { credentialState, type AccountRow } from '../../store/accounts.repo.ts';
import { accountActivity } from '../../store/audit.repo.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { requireCitizen, type CitizenSession } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { absoluteTimeoutSeconds, idleTimeoutSeconds } from '../../web/session.ts';
import { consentedServices } from '../oidc/oidc-consents.steps.ts';
import { activeSessions } from '../sessions/sessions.steps.ts';
import { contactKinds, pendingContactChange } from '../contacts/contacts.steps.ts';
import { lastFederatedSignIn } from '../../store/federated-sign-ins.repo.ts';
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
  password: Type.Object({ set: Type.Boolean(), expiresAt: Nullable(Type.String()), changedAt: Type.Optional(Nullable(Type.String())) }),
  pin: Type.Object({ state: Type.Union([Type.Literal('none'), Type.Literal('initial'), Type.Literal('active'), Type.Literal('revoked')]) }),
  signedInWith: Type.Object({
    method: Type.Union([Type.Literal('password'), Type.Literal('pin'), Type.Literal('spid'), Type.Literal('cie')]),
    level: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    provider: Type.Optional(Type.String()),
  }),
  /** The SPID or CIE identity the account was last reached through (matched by codice fiscale), or null. */
  linkedIdentity: Type.Optional(Type.Union([Type.Object({
    method: Type.Union([Type.Literal('spid'), Type.Literal('cie')]),
    provider: Nullable(Type.String()),
    level: Type.Union([Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()]),
    lastUsedAt: Type.String(),
  }), Type.Null()])),
});

/**
 * How the session was opened (shared/API.md "Federation"): the SPID level and the provider for
 * federated sessions. A CIE session's assurance is its own acr, not a SPID level.
 */
export function signedInWith(session: CitizenSession) {
  const level = session.authMethod === 'spid' ? levelOfAcr(session.acr) : null;
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
    password: { set: account.password_hash !== null, expiresAt: expiresAt?.toISOString() ?? null,
      changedAt: account.password_hash ? (account.password_changed_at?.toISOString() ?? null) : null },
    pin: { state: account.pin_state },
  };
}


export async function accountApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  // Readable while actions are pending: it is how an API client learns them (S23).
  app.get('/api/v1/me', { schema: { tags: ['account'], response: { 200: MeResponse } }, config: { allowPendingActions: true, readsLinkedIdentity: true } }, async (request, reply) => {
    const session = requireCitizen(request);
    reply.header('Cache-Control', 'no-store');
    const identity = session.lastFederatedSignIn !== undefined ? session.lastFederatedSignIn : await lastFederatedSignIn(deps.db, session.account.id);
    return {
      ...describeAccount(deps, session.account, session.requiredActions), signedInWith: signedInWith(session),
      linkedIdentity: identity ? { method: identity.method, provider: identity.provider, level: identity.level, lastUsedAt: identity.at.toISOString() } : null,
    };
  });

  app.get('/api/v1/me/activity', { schema: { tags: ['account'], response: { 200: ActivityResponse } } }, async (request, reply) => {
    const session = requireCitizen(request);
    reply.header('Cache-Control', 'no-store');
    const events = await accountActivity(deps.db, session.account.id);
    return { events: events.map((event) => ({ ...event, at: event.at.toISOString() })) };
  });
}

/** A DATE column as its calendar day, whatever the driver's time zone did to it. */
function isoDay(value: Date): string {
  return new Date(value.getTime() - value.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (request, reply) => redirectTo(reply, request.citizen ? '/area' : '/signin'));
}

/** The new contacts waiting for their code, by contact. */
async function pendingContactsOf(deps: FlowDeps, account: AccountRow): Promise<Partial<Record<(typeof contactKinds)[number], string>>> {
  const pending = await Promise.all(contactKinds.map(async (contact) => [contact, (await pendingContactChange(deps, account, contact))?.target] as const));
  return Object.fromEntries(pending.filter(([, target]) => target !== undefined));
}

/** The personal area, in the citizen scope: pending actions were sent to their pages already. */
export async function accountPageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const AreaQuery = Type.Object({ pin: Type.Optional(Type.String()), password: Type.Optional(Type.String()), contact: Type.Optional(Type.String()), lang: Type.Optional(Type.String({ maxLength: 5 })) });
  app.get('/area', { schema: { hide: true, querystring: AreaQuery } }, async (request, reply) => {
    const session = requireCitizen(request);
    const ctx = pageContext(request, reply);
    const events = await accountActivity(deps.db, session.account.id, 10);
    const view = describeAccount(deps, session.account, []);
    const { pin, password, contact } = request.query;
    const changedContact = contactKinds.find((kind) => kind === contact);
    const notice: AreaNotice | undefined = pin === 'changed' || pin === 'revoked' ? `pin_${pin}` : password === 'changed' ? 'password_changed'
      : changedContact ? `${changedContact}_changed` : undefined;
    const { account } = session;
    const [identity, sessions, services, pendingContacts] = await Promise.all([
      lastFederatedSignIn(deps.db, account.id),
      activeSessions(deps, { accountId: account.id, codiceFiscale: account.codice_fiscale, currentIdHash: session.idHash },
        { idleSeconds: idleTimeoutSeconds, absoluteSeconds: absoluteTimeoutSeconds }),
      consentedServices(deps, account.id),
      pendingContactsOf(deps, account),
    ]);
    const extras = {
      birthDate: account.birth_date === null ? null : typeof account.birth_date === 'string' ? account.birth_date : isoDay(account.birth_date),
      passwordChangedAt: account.password_changed_at, passwordTemporary: account.password_temporary_until !== null,
      identity, sessions: sessions.length, services: services.length, now: deps.clock.now(), pendingContacts, pecVerified: account.pec_verified,
    };
    return sendPage(reply, ctx, { title: ctx.t('area.title'), body: areaBody(ctx, view, events, extras, notice) });
  });
}
