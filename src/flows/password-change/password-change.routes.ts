// POST /api/v1/me/password and the password change page (also the forced change).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { federatedRecoveryAllowed } from '../../domain/federated-recovery.ts';
import { fieldError, formBody, formRoute } from '../../web/form-route.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { problemFor } from '../../web/problem.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { requireCitizen, type CitizenSession } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { renewSessionForPage, resumeAfterRequiredAction } from '../sign-in/sign-in.routes.ts';
import { changePassword } from './password-change.steps.ts';
import { passwordChangeBody, type PasswordChangeView } from './views/password-change.page.ts';
import { noContent } from '../../web/openapi.ts';

const PasswordBody = Type.Object(
  {
    currentPassword: Type.Optional(Type.String({ maxLength: 256 })),
    newPassword: Type.String({ maxLength: 256 }),
  },
  { additionalProperties: false },
);

const PasswordForm = formBody({
  currentPassword: Type.Optional(Type.String({ maxLength: 256 })),
  newPassword: Type.String({ maxLength: 256 }),
  confirmPassword: Type.String({ maxLength: 256 }),
});
// The citizen scope lets these routes through while change_password is the pending action (S23).
const resolvesPassword = { resolvesAction: 'change_password' } as const;

/** The problem title followed by every failed rule, in the page's language. */
export function weakPasswordText(request: FastifyRequest, error: AppError): string {
  const reasons = (error.extras.reasons as string[]).map((reason) => request.t(`reason.${reason}` as MessageKey));
  return `${problemFor(request, error).title}: ${reasons.join('; ')}`;
}

function changeInput(session: CitizenSession, body: { currentPassword?: string; newPassword: string }) {
  return {
    accountId: session.account.id, sessionIdHash: session.idHash, sessionMethod: session.authMethod,
    sessionCreatedAt: session.createdAt, sessionAcr: session.acr, currentPassword: body.currentPassword, newPassword: body.newPassword,
  };
}

export async function passwordChangeApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/me/password', { schema: { tags: ['password'], body: PasswordBody, response: { 204: noContent } }, config: resolvesPassword }, async (request, reply) => {
    const session = requireCitizen(request);
    await changePassword(deps, changeInput(session, request.body), requestMeta(request));
    // A forced change resumes the sign-in; any change is a privilege change: either way the
    // acting session goes on under a new id (S19).
    await resumeAfterRequiredAction(deps, request, reply);
    return reply.status(204).send();
  });
}

export async function passwordChangePageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const render = (request: FastifyRequest, reply: FastifyReply, extra: Partial<PasswordChangeView>, status = 200) => {
    const session = requireCitizen(request);
    const ctx = pageContext(request, reply);
    const view: PasswordChangeView = {
      forced: session.requiredActions.includes('change_password'),
      askCurrent: !federatedRecoveryAllowed({ method: session.authMethod, acr: session.acr, createdAt: session.createdAt }, deps.clock.now()),
      policy: deps.config.passwordPolicy,
      ...extra,
    };
    return sendPage(reply, ctx, { title: ctx.t('password.title'), body: passwordChangeBody(ctx, view) }, status);
  };

  app.get('/area/password', { schema: { hide: true }, config: resolvesPassword }, async (request, reply) => render(request, reply, {}));

  formRoute(app, '/area/password', {
    body: PasswordForm,
    config: resolvesPassword,
    secrets: ['currentPassword', 'newPassword', 'confirmPassword'],
    fields: { weak_password: 'newPassword', invalid_credentials: 'currentPassword' },
    // This page has no codice fiscale: a wrong current password is said as such.
    message: (request, error) => (error.code === 'weak_password' ? weakPasswordText(request, error)
      : error.code === 'invalid_credentials' ? request.t('password.error.currentWrong') : undefined),
    run: async (request, reply) => {
      const form = request.body;
      if (form.newPassword !== form.confirmPassword) throw fieldError('confirmPassword', request.t('password.mismatch'));
      const session = requireCitizen(request);
      await changePassword(deps, changeInput(session, form), requestMeta(request));
      // A forced change was a step of the sign-in: the journey goes on where it was headed.
      if (session.requiredActions.includes('change_password')) return redirectTo(reply, await resumeAfterRequiredAction(deps, request, reply, '/area?password=changed'));
      await renewSessionForPage(deps, request, reply); // a privilege change: a new session id (S19)
      return render(request, reply, { done: true });
    },
    render: (request, reply, { errors, status }) => render(request, reply, { errors }, status),
  });
}
