// Personal area: services the citizen authorised, each revocable (API and page).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { requireNoPendingActions } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { consentedServices, revokeConsent } from './oidc-consents.steps.ts';
import { servicesBody } from './views/services.page.ts';
import { noContent, sessionSecurity } from '../../web/openapi.ts';

const ClientParams = Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 100 }) });
const ServicesResponse = Type.Object({
  services: Type.Array(Type.Object({ clientId: Type.String(), name: Type.String(), scopes: Type.Array(Type.String()), grantedAt: Type.String() })),
});

export async function oidcConsentRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/me/services', { schema: { tags: ['account'], security: sessionSecurity, response: { 200: ServicesResponse } } }, async (request, reply) => {
    const session = requireNoPendingActions(request);
    reply.header('Cache-Control', 'no-store, private');
    const services = await consentedServices(deps, session.account.id);
    return { services: services.map((s) => ({ ...s, grantedAt: s.grantedAt.toISOString() })) };
  });

  app.delete('/api/v1/me/services/:clientId', { schema: { tags: ['account'], security: sessionSecurity, params: ClientParams, response: { 204: noContent } } }, async (request, reply) => {
    const session = requireNoPendingActions(request);
    const { clientId } = request.params;
    await revokeConsent(deps, { accountId: session.account.id, codiceFiscale: session.account.codice_fiscale }, clientId, requestMeta(request));
    return reply.status(204).send();
  });

  await app.register(async (plainPages) => {
    const pages = plainPages.withTypeProvider<TypeBoxTypeProvider>();
    await pages.register(fastifyFormbody, { bodyLimit: 16 * 1024 });

    pages.get('/area/services', { schema: { hide: true, querystring: Type.Object({ revoked: Type.Optional(Type.String({ maxLength: 1 })) }) } }, async (request, reply) => {
      if (!request.citizen || request.citizen.requiredActions.length > 0) return redirectTo(reply, '/area');
      const ctx = pageContext(request, reply);
      const services = await consentedServices(deps, request.citizen.account.id);
      const revoked = request.query.revoked === '1';
      return sendPage(reply, ctx, { title: ctx.t('oidc.services.title'), body: servicesBody(ctx, services, revoked) });
    });

    pages.post('/area/services/:clientId/revoke', {
      schema: { hide: true, params: ClientParams, body: Type.Object({ _csrf: Type.String({ maxLength: 200 }) }, { additionalProperties: false }) },
      preValidation: pages.csrfProtection,
    }, async (request, reply) => {
      const session = requireNoPendingActions(request);
      const { clientId } = request.params;
      await revokeConsent(deps, { accountId: session.account.id, codiceFiscale: session.account.codice_fiscale }, clientId, requestMeta(request));
      return redirectTo(reply, '/area/services?revoked=1');
    });
  });
}
