// PUT /api/v1/me/contacts and its confirmation by the code sent to the new channel.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requestMeta } from '../../web/request-meta.ts';
import { requireNoPendingActions } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { confirmContactChange, requestContactChange } from './contacts.steps.ts';
import { noContent } from '../../web/openapi.ts';

const ContactsBody = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 254 })),
  mobile: Type.Optional(Type.String({ maxLength: 30 })),
  pec: Type.Optional(Type.String({ maxLength: 254 })),
}, { additionalProperties: false });
const ConfirmBody = Type.Object({
  contact: Type.Union([Type.Literal('email'), Type.Literal('mobile'), Type.Literal('pec')]),
  code: Type.String({ maxLength: 12 }),
}, { additionalProperties: false });

const AwaitingCode = Type.Object({
  awaitingCode: Type.Array(Type.Union([Type.Literal('email'), Type.Literal('mobile'), Type.Literal('pec')]),
    { description: 'the changed contacts, each waiting for the code sent to its new address' }),
});

export async function contactsApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.put('/api/v1/me/contacts', { schema: { tags: ['profile'], body: ContactsBody, response: { 202: AwaitingCode } } }, async (request, reply) => {
    const session = requireNoPendingActions(request);
    const awaitingCode = await requestContactChange(deps, session.account, request.body);
    return reply.status(202).send({ awaitingCode });
  });

  app.post('/api/v1/me/contacts/confirm', { schema: { tags: ['profile'], body: ConfirmBody, response: { 204: noContent } } }, async (request, reply) => {
    const session = requireNoPendingActions(request);
    await confirmContactChange(deps, session.account, request.body, requestMeta(request));
    return reply.status(204).send(null);
  });
}
