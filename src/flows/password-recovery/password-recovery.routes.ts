// API of "Password dimenticata" (shared/API.md "Password recovery"); its pages are in
// password-recovery-pages.routes.ts.
// S2 (one answer for every input), S6–S9, S17 (limits in the steps), S25 (no-store, no-referrer).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { FlowDeps } from '../deps.ts';
import { requestMeta } from '../../web/request-meta.ts';
import {
  completePasswordRecovery, sendSecondFactorCode, startPasswordRecovery, submitRecoveryCode,
} from './password-recovery.steps.ts';
import { noContent } from '../../web/openapi.ts';

const Cf = Type.String({ maxLength: 40 });
const Captcha = Type.Optional(Type.String({ maxLength: 200 }));
const Token = Type.String({ minLength: 1, maxLength: 100 });
const Code = Type.String({ maxLength: 12 });
const StartBody = Type.Union([
  Type.Object({ codiceFiscale: Cf, channel: Type.Literal('email'), email: Type.String({ maxLength: 254 }), captcha: Captcha },
    { additionalProperties: false }),
  Type.Object({ codiceFiscale: Cf, channel: Type.Literal('sms'), mobile: Type.String({ maxLength: 30 }), captcha: Captcha },
    { additionalProperties: false }),
]);
const FlowParams = Type.Object({ flowId: Type.String({ format: 'uuid', maxLength: 36 }) }, { additionalProperties: false });
const CompleteBody = Type.Object({
  token: Token,
  newPassword: Type.String({ maxLength: 256 }),
  code: Type.Optional(Type.String({ maxLength: 12, description: 'the SMS code, when RECOVERY_SECOND_FACTOR=sms applies to the flow' })),
  securityAnswer: Type.Optional(Type.String({ maxLength: 200, description: 'the answer to the security question, when the account has one' })),
}, { additionalProperties: false });

/** Answers that carry or follow a secret are never cached nor referred (S25). */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer');
}

export async function passwordRecoveryApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/recovery/password', {
    schema: { tags: ['recovery'], body: StartBody,
      response: { 202: Type.Object({ flowId: Type.String(), expiresAt: Type.String() }, { additionalProperties: false }) } },
  }, async (request, reply) => {
    const started = await startPasswordRecovery(deps, request.body, requestMeta(request));
    return noStore(reply).status(202).send(started);
  });

  app.post('/api/v1/recovery/password/:flowId/code', {
    schema: { tags: ['recovery'], params: FlowParams, body: Type.Object({ code: Code }, { additionalProperties: false }),
      response: { 200: Type.Object({ token: Type.String() }, { additionalProperties: false }) } },
  }, async (request, reply) => {
    const verified = await submitRecoveryCode(deps, { flowId: request.params.flowId, code: request.body.code }, requestMeta(request));
    return noStore(reply).send(verified);
  });

  // Varco's addition for RECOVERY_SECOND_FACTOR=sms: the holder of an opened link asks for
  // the SMS code (again: a new code voids the previous one and keeps the attempt budget).
  app.post('/api/v1/recovery/password/second-factor', {
    schema: { tags: ['recovery'], body: Type.Object({ token: Token }, { additionalProperties: false }),
      response: { 202: Type.Object({ expiresAt: Type.String() }, { additionalProperties: false }) } },
  }, async (request, reply) => {
    const sent = await sendSecondFactorCode(deps, request.body, requestMeta(request));
    return noStore(reply).status(202).send(sent);
  });

  app.post('/api/v1/recovery/password/complete', { schema: { tags: ['recovery'], body: CompleteBody, response: { 204: noContent } } }, async (request, reply) => {
    await completePasswordRecovery(deps, request.body, requestMeta(request));
    return noStore(reply).status(204).send();
  });
}
