// POST /api/v1/me/password and the password change page (also the forced change).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { problemFor, toAppError } from '../../web/problem.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { requireCitizen, type CitizenSession } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { resumeAfterRequiredAction } from '../sign-in/sign-in.routes.ts';
import { changePassword } from './password-change.steps.ts';
import { passwordChangeBody, type PasswordChangeView } from './views/password-change.page.ts';

const PasswordBody = Type.Object(
  {
    currentPassword: Type.Optional(Type.String({ maxLength: 256 })),
    newPassword: Type.String({ maxLength: 256 }),
  },
  { additionalProperties: false },
);

const PasswordForm = Type.Object(
  {
    _csrf: Type.String({ maxLength: 200 }),
    currentPassword: Type.Optional(Type.String({ maxLength: 256 })),
    newPassword: Type.String({ maxLength: 256 }),
    confirmPassword: Type.String({ maxLength: 256 }),
  },
  { additionalProperties: false },
);

/** The problem title followed by every failed rule, in the page's language. */
export function weakPasswordText(request: FastifyRequest, error: AppError): string {
  const reasons = (error.extras.reasons as string[]).map((reason) => request.t(`reason.${reason}` as MessageKey));
  return `${problemFor(request, error).title}: ${reasons.join('; ')}`;
}

/** The session may be pending change_password; no other action may block this route. */
function requirePasswordSession(request: FastifyRequest): CitizenSession {
  const session = requireCitizen(request);
  if (session.requiredActions.length > 0 && !session.requiredActions.includes('change_password')) {
    throw new AppError('action_required', { requiredActions: session.requiredActions });
  }
  return session;
}

function changeInput(session: CitizenSession, body: { currentPassword?: string; newPassword: string }) {
  return {
    accountId: session.account.id, sessionIdHash: session.idHash, sessionMethod: session.authMethod,
    sessionCreatedAt: session.createdAt, currentPassword: body.currentPassword, newPassword: body.newPassword,
  };
}

export async function passwordChangeApiRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  app.post('/api/v1/me/password', { schema: { tags: ['password'], body: PasswordBody } }, async (request, reply) => {
    const session = requirePasswordSession(request);
    await changePassword(deps, changeInput(session, request.body as { currentPassword?: string; newPassword: string }), requestMeta(request));
    if (session.requiredActions.includes('change_password')) await resumeAfterRequiredAction(deps, request, reply);
    return reply.status(204).send();
  });
}

export async function passwordChangePageRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  const render = (request: FastifyRequest, reply: FastifyReply, session: CitizenSession, extra: Partial<PasswordChangeView>, status = 200) => {
    const ctx = pageContext(request, reply);
    const view: PasswordChangeView = {
      forced: session.requiredActions.includes('change_password'),
      askCurrent: true,
      policy: deps.config.passwordPolicy,
      ...extra,
    };
    return sendPage(reply, ctx, { title: ctx.t('password.title'), body: passwordChangeBody(ctx, view) }, status);
  };

  app.get('/area/password', { schema: { hide: true } }, async (request, reply) => {
    if (!request.citizen) return redirectTo(reply, '/signin');
    return render(request, reply, request.citizen, {});
  });

  app.post('/area/password', { schema: { hide: true, body: PasswordForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    if (!request.citizen) return redirectTo(reply, '/signin');
    const session = requirePasswordSession(request);
    const form = request.body as { currentPassword?: string; newPassword: string; confirmPassword: string };
    if (form.newPassword !== form.confirmPassword) {
      return render(request, reply, session, { errors: { confirm: request.t('password.mismatch') } }, 400);
    }
    try {
      await changePassword(deps, changeInput(session, form), requestMeta(request));
      // A forced change was a step of the sign-in: the journey goes on where it was headed.
      if (session.requiredActions.includes('change_password')) return redirectTo(reply, await resumeAfterRequiredAction(deps, request, reply, '/area?password=changed'));
      return render(request, reply, session, { done: true });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      const title = problemFor(request, appError).title;
      if (appError.code === 'weak_password') return render(request, reply, session, { errors: { new: weakPasswordText(request, appError) } }, 400);
      return render(request, reply, session, { errors: { current: title } }, appError.status);
    }
  });
}
