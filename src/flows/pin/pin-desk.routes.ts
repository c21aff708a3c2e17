// Operator routes for a citizen identified on the phone or at the office (shared/API.md
// "Assistance desk"): issue a PIN in two halves, or revoke it. S34: the operator never sees
// the PIN and must record the identity check; the audit trail names the operator.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import { currentOperator } from '../../web/operator-session.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { accountForOperator } from '../desk/desk.steps.ts';
import { issuePin, revokePin } from './pin-issue.steps.ts';

const Params = Type.Object({ codiceFiscale: Type.String({ maxLength: 40 }) });
const DeskBody = Type.Object({ identityVerified: Type.Optional(Type.Boolean()), note: Type.String({ maxLength: 1000 }) }, { additionalProperties: false });

/** In the desk scope: the operator is known before the handler runs. */
export async function pinDeskRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const security = [{ bearerAuth: [] }];

  app.post('/api/v1/desk/accounts/:codiceFiscale/pin', {
    schema: { tags: ['desk'], security, params: Params, body: DeskBody },
  }, async (request, reply) => {
    const operator = currentOperator(request);
    const body = request.body;
    if (body.identityVerified !== true) throw new AppError('identity_not_verified');
    const account = await accountForOperator(deps, operator, request.params.codiceFiscale);
    const meta = requestMeta(request);
    await deps.db.transaction(async (tx) => {
      await recordAudit(tx, deps.clock.now(), { type: 'desk_identity_verified', actor: `operator:${operator.id}`, accountId: account.id,
        ...meta, outcome: 'success', details: { action: 'pin_issue', note: body.note } });
      await issuePin(tx, deps, account, meta, `operator:${operator.id}`);
    });
    return reply.status(202).send({ status: 'accepted' });
  });

  app.post('/api/v1/desk/accounts/:codiceFiscale/pin/revoke', {
    schema: { tags: ['desk'], security, params: Params },
  }, async (request, reply) => {
    const operator = currentOperator(request);
    const account = await accountForOperator(deps, operator, request.params.codiceFiscale);
    await deps.db.transaction(async (tx) => {
      await revokePin(tx, deps, account, requestMeta(request), `operator:${operator.id}`);
      await recordAudit(tx, deps.clock.now(), { type: 'desk_pin_revoked', actor: `operator:${operator.id}`, accountId: account.id,
        ...requestMeta(request), outcome: 'success' });
    });
    return reply.status(204).send();
  });
}
