// Operator routes for a citizen identified on the phone or at the office (shared/API.md
// "Assistance desk"): issue a PIN in two halves, or revoke it. S34: the operator never sees
// the PIN and must record the identity check; the audit trail names the operator.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { deskIssuePin, deskRevokePin } from '../desk/desk.steps.ts';
import { requireOperator } from '../desk/operator-auth.ts';

const Params = Type.Object({ codiceFiscale: Type.String({ maxLength: 40 }) });
const DeskBody = Type.Object({ identityVerified: Type.Optional(Type.Boolean()), note: Type.String({ maxLength: 1000 }) }, { additionalProperties: false });

export async function pinDeskRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  const security = [{ bearerAuth: [] }];

  app.post('/api/v1/desk/accounts/:codiceFiscale/pin', {
    schema: { tags: ['desk'], security, params: Params, body: DeskBody },
  }, async (request, reply) => {
    const operator = await requireOperator(deps, request);
    await deskIssuePin(deps, operator, (request.params as { codiceFiscale: string }).codiceFiscale,
      request.body as { identityVerified?: boolean; note: string }, requestMeta(request));
    return reply.status(202).send({ status: 'accepted' });
  });

  app.post('/api/v1/desk/accounts/:codiceFiscale/pin/revoke', {
    schema: { tags: ['desk'], security, params: Params },
  }, async (request, reply) => {
    const operator = await requireOperator(deps, request);
    await deskRevokePin(deps, operator, (request.params as { codiceFiscale: string }).codiceFiscale, requestMeta(request));
    return reply.status(204).send();
  });
}
