// API of profile completion (API.md "Profile completion and contacts").
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { resumeAfterRequiredAction } from '../sign-in/sign-in.routes.ts';
import { confirmVerificationCode, sendVerificationCode, setSecurityQuestion, type VerifiedChannel } from './profile-completion.steps.ts';
import { requireActionTurn } from './required-action-turn.routes.ts';
import { noContent, sessionSecurity } from '../../web/openapi.ts';

export const CodeBody = Type.Object({ code: Type.String({ maxLength: 12 }) }, { additionalProperties: false });
export const SecurityQuestionBody = Type.Object(
  { question: Type.String({ minLength: 1, maxLength: 200 }), answer: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

const actionOf = { email: 'verify_email', mobile: 'verify_mobile' } as const;

export async function profileCompletionApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  for (const channel of ['email', 'mobile'] as VerifiedChannel[]) {
    app.post(`/api/v1/me/${channel}/verification`, { schema: { tags: ['profile'], security: sessionSecurity, response: { 202: Type.Object({}) } } }, async (request, reply) => {
      const session = requireActionTurn(request, actionOf[channel]);
      await sendVerificationCode(deps, session.account, channel);
      return reply.status(202).send({});
    });

    app.post(`/api/v1/me/${channel}/verification/confirm`, { schema: { tags: ['profile'], security: sessionSecurity, body: CodeBody, response: { 204: noContent } } }, async (request, reply) => {
      const session = requireActionTurn(request, actionOf[channel]);
      await confirmVerificationCode(deps, session.account, channel, request.body.code, requestMeta(request));
      // The last step done finishes the login flow under a new session id (S19), sent as a cookie.
      if (session.requiredActions.includes(actionOf[channel])) await resumeAfterRequiredAction(deps, request, reply);
      return reply.status(204).send(null);
    });
  }

  app.put('/api/v1/me/security-question', { schema: { tags: ['profile'], security: sessionSecurity, body: SecurityQuestionBody, response: { 204: noContent } } }, async (request, reply) => {
    const session = requireActionTurn(request, 'set_security_question');
    await setSecurityQuestion(deps, session.account, request.body, requestMeta(request));
    if (session.requiredActions.includes('set_security_question')) await resumeAfterRequiredAction(deps, request, reply);
    return reply.status(204).send(null);
  });
}
