// Operator routes for a citizen identified on the phone or at the office (shared/API.md
// "Assistance desk"): issue a PIN in two halves, or revoke it. S34: the operator never sees
// the PIN and must record the identity check; the audit trail names the operator.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { findAccountByCodiceFiscale, type AccountRow } from '../../store/accounts.repo.ts';
import type { ApiPrincipal } from '../../store/api-tokens.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import { requireApiRole } from '../../web/api-auth.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';
import { issuePin, revokePin } from './pin-issue.steps.ts';

const Params = Type.Object({ codiceFiscale: Type.String({ maxLength: 40 }) });
const DeskBody = Type.Object({ identityVerified: Type.Optional(Type.Boolean()), note: Type.String({ maxLength: 1000 }) }, { additionalProperties: false });

/** The account the operator may act on: it exists and is not the operator's own (S34). */
async function targetAccount(deps: FlowDeps, request: FastifyRequest, operator: ApiPrincipal): Promise<AccountRow> {
  const codiceFiscale = requireCodiceFiscale((request.params as { codiceFiscale: string }).codiceFiscale);
  const account = await findAccountByCodiceFiscale(deps.db, codiceFiscale);
  if (!account) throw new AppError('account_not_found');
  const own = await deps.db.query('SELECT 1 FROM operators WHERE id = $1 AND codice_fiscale = $2', [operator.subjectId, codiceFiscale]);
  if (own.rows.length > 0) throw new AppError('forbidden', {}, 'operators cannot act on their own account');
  return account;
}

export async function pinDeskRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  const security = [{ bearerAuth: [] }];

  app.post('/api/v1/desk/accounts/:codiceFiscale/pin', {
    schema: { tags: ['desk'], security, params: Params, body: DeskBody },
  }, async (request, reply) => {
    const operator = await requireApiRole(deps.db, request, 'operator');
    const body = request.body as { identityVerified?: boolean; note: string };
    if (body.identityVerified !== true) throw new AppError('identity_not_verified');
    const account = await targetAccount(deps, request, operator);
    const meta = requestMeta(request);
    await deps.db.transaction(async (tx) => {
      await recordAudit(tx, deps.clock.now(), { type: 'desk_identity_verified', actor: `operator:${operator.subjectId}`, accountId: account.id,
        ...meta, outcome: 'success', details: { action: 'pin_issue', note: body.note } });
      await issuePin(tx, deps, account, meta, `operator:${operator.subjectId}`);
    });
    return reply.status(202).send({ status: 'accepted' });
  });

  app.post('/api/v1/desk/accounts/:codiceFiscale/pin/revoke', {
    schema: { tags: ['desk'], security, params: Params },
  }, async (request, reply) => {
    const operator = await requireApiRole(deps.db, request, 'operator');
    const account = await targetAccount(deps, request, operator);
    await deps.db.transaction(async (tx) => {
      await revokePin(tx, deps, account, requestMeta(request), `operator:${operator.subjectId}`);
      await recordAudit(tx, deps.clock.now(), { type: 'desk_pin_revoked', actor: `operator:${operator.subjectId}`, accountId: account.id,
        ...requestMeta(request), outcome: 'success' });
    });
    return reply.status(204).send();
  });
}
