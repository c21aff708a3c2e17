// SPID and CIE routes (API.md "Federation"): metadata, the HTTP-POST hand-over to the IdP,
// and the ACS. The ACS answers 200 only when it accepted; every refusal is a 4xx page and
// nothing here becomes a 5xx (spid-sp-test reads the status code).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { setSessionCookie } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { asFlowId } from '../sign-in/login-flow.steps.ts';
import { consumeResponse } from './acs.steps.ts';
import type { Federation } from './federation.context.ts';
import { startFederatedLogin, type PostBinding } from './login.steps.ts';
import { Rejection } from './rejection.ts';
import { consumeLogoutRequest, consumeLogoutResponse, startSingleLogout } from './single-logout.steps.ts';
import type { FederationKind, SpidLevel } from './sp-profile.ts';
import type { FederationChoices } from './views/buttons.ts';
import { postBindingBody, rejectedBody, signedInBody, signedOutBody, unknownAccountBody } from './views/federation.pages.ts';

declare module 'fastify' {
  interface FastifyInstance {
    federation: Federation | null;
  }
}

/** What the SPID/CIE buttons of a page offer; null when federation is off. */
export function federationChoices(request: FastifyRequest): FederationChoices | null {
  const federation = request.server.federation;
  if (!federation) return null;
  return { spid: federation.registry.list('spid'), cie: federation.registry.list('cie').length > 0 };
}

const LoginQuery = Type.Object({
  idp: Type.Optional(Type.String({ maxLength: 500 })),
  level: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('3')])),
  next: Type.Optional(Type.String({ maxLength: 1000 })),
  purpose: Type.Optional(Type.Union([Type.Literal('recovery'), Type.Literal('pin')])),
  lang: Type.Optional(Type.String({ maxLength: 5 })),
});

const SloBody = Type.Object({
  SAMLRequest: Type.Optional(Type.String({ minLength: 1, maxLength: 60_000 })),
  SAMLResponse: Type.Optional(Type.String({ minLength: 1, maxLength: 60_000 })),
  RelayState: Type.Optional(Type.String({ maxLength: 200 })),
});

const AcsBody = Type.Object({
  SAMLResponse: Type.String({ minLength: 1, maxLength: 60_000 }),
  RelayState: Type.Optional(Type.String({ maxLength: 200 })),
});

/** The IdP's origin joins form-action for this one page, so the browser may post to it (S25). */
function allowFormTarget(reply: FastifyReply, action: string): void {
  const policy = String(reply.getHeader('content-security-policy') ?? '');
  const origin = new URL(action).origin;
  if (policy) reply.header('content-security-policy', policy.replace("form-action 'self'", `form-action 'self' ${origin}`));
}

function sendRejection(request: FastifyRequest, reply: FastifyReply, status: number, anomaly: Rejection['anomaly'], relayState?: string) {
  const ctx = pageContext(request, reply);
  // The RelayState is a login flow id (or garbage): only a well-formed id makes the retry link.
  return sendPage(reply, ctx, { title: ctx.t('federation.rejected.title'), body: rejectedBody(ctx, anomaly, asFlowId(relayState)) }, status);
}

/**
 * "Esci" from a SPID session: the LogoutRequest for the IdP, prepared before the local session
 * ends (it names the sign-in's subject); null for CIE and local sessions, which end locally.
 */
export async function prepareSingleLogout(deps: FlowDeps, request: FastifyRequest): Promise<PostBinding | null> {
  const federation = request.server.federation;
  const session = request.citizen;
  if (!federation || !session) return null;
  return startSingleLogout(deps, federation, session);
}

/** The page that posts the LogoutRequest to the IdP (works without JavaScript: a visible button). */
export function sendSingleLogout(request: FastifyRequest, reply: FastifyReply, binding: PostBinding) {
  allowFormTarget(reply, binding.action);
  const ctx = pageContext(request, reply);
  return sendPage(reply, ctx, { title: ctx.t('federation.logout.title'), body: postBindingBody(ctx, binding, 'SAMLRequest', ctx.t('federation.logout.handover')) });
}

export async function federationRoutes(plain: FastifyInstance, options: { deps: FlowDeps; federation: Federation }): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { deps, federation } = options;

  for (const kind of ['spid', 'cie'] as const satisfies readonly FederationKind[]) {
    app.get(`/auth/${kind}/metadata`, { schema: { hide: true } }, async (_request, reply) =>
      reply.header('Cache-Control', 'public, max-age=3600').type('application/samlmetadata+xml').send(federation.metadata[kind]));

    app.get(`/auth/${kind}/login`, { schema: { hide: true, querystring: LoginQuery } }, async (request, reply) => {
      const { query } = request;
      let binding: PostBinding;
      try {
        binding = await startFederatedLogin(deps, federation, {
          kind, idp: query.idp, level: query.level ? (Number(query.level) as SpidLevel) : undefined, next: query.next, purpose: query.purpose,
        });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const ctx = pageContext(request, reply);
        return sendPage(reply, ctx, { title: ctx.t('federation.rejected.title'), body: rejectedBody(ctx, null) }, 400);
      }
      allowFormTarget(reply, binding.action);
      const ctx = pageContext(request, reply);
      return sendPage(reply, ctx, { title: ctx.t('federation.redirect.title'), body: postBindingBody(ctx, binding) });
    });

    if (kind === 'spid') {
      // The SingleLogoutService of the SPID metadata (HTTP-POST): the IdP's LogoutResponse to
      // our request, or its own LogoutRequest. 200 when accepted, 4xx otherwise, never 5xx.
      app.post('/auth/spid/slo', { schema: { hide: true, body: SloBody } }, async (request, reply) => {
        const { SAMLRequest: samlRequest, SAMLResponse: samlResponse, RelayState: relayState } = request.body;
        try {
          if (samlResponse && !samlRequest) {
            await consumeLogoutResponse(deps, federation, samlResponse);
            const ctx = pageContext(request, reply);
            return sendPage(reply, ctx, { title: ctx.t('federation.logout.title'), body: signedOutBody(ctx) });
          }
          if (samlRequest && !samlResponse) {
            const binding = await consumeLogoutRequest(deps, federation, samlRequest, requestMeta(request));
            allowFormTarget(reply, binding.action);
            const ctx = pageContext(request, reply);
            return sendPage(reply, ctx, {
              title: ctx.t('federation.logout.title'),
              body: postBindingBody(ctx, { ...binding, relayState: relayState ?? '' }, 'SAMLResponse', ctx.t('federation.logout.idp')),
            });
          }
          return sendRejection(request, reply, 400, null);
        } catch (error) {
          if (error instanceof Rejection) {
            request.log.warn({ reason: error.reason }, 'SAML logout message refused');
            return sendRejection(request, reply, error.status, null);
          }
          request.log.error({ err: error }, 'SAML logout message could not be processed');
          return sendRejection(request, reply, 400, null);
        }
      });
    } else {
      // CIE has no single logout at the IdP (local logout only); the Redirect endpoint its
      // metadata must advertise only confirms that nothing is signed in here any more.
      app.get('/auth/cie/slo', { schema: { hide: true } }, async (request, reply) => {
        const ctx = pageContext(request, reply);
        return sendPage(reply, ctx, { title: ctx.t('federation.logout.title'), body: signedOutBody(ctx) });
      });
    }

    app.post(`/auth/${kind}/acs`, { schema: { hide: true, body: AcsBody } }, async (request, reply) => {
      const form = request.body;
      try {
        const result = await consumeResponse(deps, federation, kind, form, requestMeta(request));
        const ctx = pageContext(request, reply);
        if (result.kind === 'unknown_account') {
          return sendPage(reply, ctx, { title: ctx.t('federation.unknown.title'), body: unknownAccountBody(ctx) });
        }
        setSessionCookie(reply, deps.config, result.sessionId);
        return sendPage(reply, ctx, { title: ctx.t('federation.done.title'), body: signedInBody(ctx, kind, result.next) });
      } catch (error) {
        if (error instanceof Rejection) {
          request.log.warn({ reason: error.reason, kind }, 'SAML Response refused');
          return sendRejection(request, reply, error.status, error.anomaly, form.RelayState);
        }
        request.log.error({ err: error, kind }, 'SAML Response could not be processed');
        return sendRejection(request, reply, 400, null, form.RelayState);
      }
    });
  }
}
