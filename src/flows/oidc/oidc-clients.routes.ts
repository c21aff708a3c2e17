// /api/v1/admin/oidc/clients (platform-admin token), shared/API.md "OpenID Connect provider".
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireApiRole } from '../../web/api-auth.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { listClients, registerClient, removeClient } from './oidc-clients.steps.ts';
import { noContent } from '../../web/openapi.ts';

const Uri = Type.String({ minLength: 8, maxLength: 500 });
const ClientBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    redirectUris: Type.Array(Uri, { minItems: 1, maxItems: 10 }),
    postLogoutRedirectUris: Type.Optional(Type.Array(Uri, { maxItems: 10 })),
    type: Type.Union([Type.Literal('public'), Type.Literal('confidential')]),
  },
  { additionalProperties: false },
);
const ClientSummary = Type.Object({
  clientId: Type.String(), name: Type.String(), type: Type.String(), redirectUris: Type.Array(Type.String()),
  postLogoutRedirectUris: Type.Array(Type.String()), createdAt: Type.String(),
});
const security = [{ bearerAuth: [] }];

export async function oidcClientRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  // Authentication before validation: an unauthenticated caller learns nothing about the schema.
  const onRequest = async (request: FastifyRequest) => void (await requireApiRole(deps.db, request, 'platform_admin'));

  app.post('/api/v1/admin/oidc/clients', {
    onRequest, schema: { tags: ['admin'], security, body: ClientBody,
      response: { 201: Type.Object({ clientId: Type.String(), clientSecret: Type.Optional(Type.String()) }) } },
  }, async (request, reply) => {
    const created = await registerClient(deps, request.body, requestMeta(request));
    return reply.status(201).header('Cache-Control', 'no-store').send(created);
  });

  app.get('/api/v1/admin/oidc/clients', {
    onRequest, schema: { tags: ['admin'], security, response: { 200: Type.Object({ clients: Type.Array(ClientSummary) }) } },
  }, async () => ({ clients: await listClients(deps) }));

  app.delete('/api/v1/admin/oidc/clients/:clientId', {
    onRequest, schema: { tags: ['admin'], security, params: Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 100 }) }), response: { 204: noContent } },
  }, async (request, reply) => {
    await removeClient(deps, request.params.clientId, requestMeta(request));
    return reply.status(204).send();
  });
}
