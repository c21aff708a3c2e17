// Operator routes for a citizen identified on the phone or at the office (shared/API.md
// "Assistance desk"): issue a PIN in two halves, or revoke it. S34: the operator never sees
// the PIN and must record the identity check; the audit trail names the operator.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { currentOperator } from '../../web/operator-session.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { deskIssuePin, deskRevokePin } from '../desk/desk.steps.ts';
import { noContent } from '../../web/openapi.ts';

const Params = Type.Object({ codiceFiscale: Type.String({ maxLength: 40 }) });
const DeskBody = Type.Object({ identityVerified: Type.Optional(Type.Boolean()), note: Type.String({ maxLength: 1000 }) }, { additionalProperties: false });

/** In the desk scope: the operator is known before the handler runs. */
const Accepted = Type.Object({ status: Type.Literal('accepted') });

export async function pinDeskRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const security = [{ bearerAuth: [] }];

  app.post('/api/v1/desk/accounts/:codiceFiscale/pin', {
    schema: { tags: ['desk'], security, params: Params, body: DeskBody, response: { 202: Accepted } },
  }, async (request, reply) => {
    await deskIssuePin(deps, currentOperator(request), request.params.codiceFiscale, request.body, requestMeta(request));
    return reply.status(202).send({ status: 'accepted' });
  });

  app.post('/api/v1/desk/accounts/:codiceFiscale/pin/revoke', {
    schema: { tags: ['desk'], security, params: Params, response: { 204: noContent } },
  }, async (request, reply) => {
    await deskRevokePin(deps, currentOperator(request), request.params.codiceFiscale, requestMeta(request));
    return reply.status(204).send();
  });
}
