// The pages of the completion steps, at the paths of requiredActionPages. A page that is not
// the current step sends the browser to the current one; a finished step resumes the login
// flow itself (the next step, or where the flow was going; S25: GET /signin/continue only reads).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requiredActionPages, type RequiredAction } from '../../domain/required-actions.ts';
import type { TypedApp } from '../../web/form-route.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { problemFor, toAppError } from '../../web/problem.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { CitizenSession } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { resumeAfterRequiredAction } from '../sign-in/sign-in.routes.ts';
import { confirmVerificationCode, sendVerificationCode, setSecurityQuestion, type VerifiedChannel } from './profile-completion.steps.ts';
import { isActionTurn } from './required-action-turn.routes.ts';
import { codePageBody, securityQuestionBody } from './views/profile-completion.pages.ts';

const CsrfOnly = Type.Object({ _csrf: Type.String({ maxLength: 200 }) }, { additionalProperties: false });
const CodeForm = Type.Object({ _csrf: Type.String({ maxLength: 200 }), code: Type.String({ maxLength: 12 }) }, { additionalProperties: false });
const QuestionForm = Type.Object({ _csrf: Type.String({ maxLength: 200 }), question: Type.String({ maxLength: 200 }), answer: Type.String({ maxLength: 200 }) },
  { additionalProperties: false });

const steps: RequiredAction[] = ['verify_email', 'set_security_question', 'verify_mobile'];
const stepNumber = (action: RequiredAction) => steps.indexOf(action) + 1;
const titles = { verify_email: 'profile.email.title', verify_mobile: 'profile.mobile.title', set_security_question: 'profile.question.title' } as const;

/** The session when this page is the current step; otherwise the reply already redirected. */
function sessionForStep(request: FastifyRequest, reply: FastifyReply, action: RequiredAction): CitizenSession | null {
  const session = request.citizen;
  if (!session) {
    void redirectTo(reply, '/signin');
    return null;
  }
  if (!isActionTurn(session, action)) {
    void redirectTo(reply, requiredActionPages[session.requiredActions[0]!]);
    return null;
  }
  return session;
}

async function errorText(request: FastifyRequest, error: unknown): Promise<{ status: number; text: string }> {
  const appError = toAppError(error);
  if (appError.status >= 500) throw error;
  return { status: appError.status, text: problemFor(request, appError).title };
}

function codePages(app: TypedApp, deps: FlowDeps, channel: VerifiedChannel): void {
  const action: RequiredAction = channel === 'email' ? 'verify_email' : 'verify_mobile';
  const path = requiredActionPages[action];
  const render = (request: FastifyRequest, reply: FastifyReply, session: CitizenSession, extra: { sent?: boolean; error?: string }, status = 200) => {
    const ctx = pageContext(request, reply);
    const address = (channel === 'email' ? session.account.email : session.account.mobile) ?? '';
    return sendPage(reply, ctx, { title: ctx.t(titles[action]), body: codePageBody(ctx, { channel, step: stepNumber(action), address, ...extra }) }, status);
  };

  app.get(path, { schema: { hide: true } }, async (request, reply) => {
    const session = sessionForStep(request, reply, action);
    return session ? render(request, reply, session, {}) : reply;
  });

  app.post(`${path}/send`, { schema: { hide: true, body: CsrfOnly }}, async (request, reply) => {
    const session = sessionForStep(request, reply, action);
    if (!session) return reply;
    try {
      await sendVerificationCode(deps, session.account, channel);
      return render(request, reply, session, { sent: true });
    } catch (error) {
      const { status, text } = await errorText(request, error);
      return render(request, reply, session, { error: text }, status);
    }
  });

  app.post(path, { schema: { hide: true, body: CodeForm }}, async (request, reply) => {
    const session = sessionForStep(request, reply, action);
    if (!session) return reply;
    try {
      await confirmVerificationCode(deps, session.account, channel, request.body.code.trim(), requestMeta(request));
      return redirectTo(reply, await resumeAfterRequiredAction(deps, request, reply));
    } catch (error) {
      const { status, text } = await errorText(request, error);
      return render(request, reply, session, { sent: true, error: text }, status);
    }
  });
}

export async function profileCompletionPageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  codePages(app, deps, 'email');
  codePages(app, deps, 'mobile');
  const action: RequiredAction = 'set_security_question';
  const render = (request: FastifyRequest, reply: FastifyReply, view: { question?: string; errors?: { question?: string; answer?: string } }, status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t(titles[action]), body: securityQuestionBody(ctx, { step: stepNumber(action), ...view }) }, status);
  };

  app.get(requiredActionPages[action], { schema: { hide: true } }, async (request, reply) => {
    const session = sessionForStep(request, reply, action);
    return session ? render(request, reply, {}) : reply;
  });

  app.post(requiredActionPages[action], { schema: { hide: true, body: QuestionForm }}, async (request, reply) => {
    const session = sessionForStep(request, reply, action);
    if (!session) return reply;
    const form = request.body;
    try {
      await setSecurityQuestion(deps, session.account, form, requestMeta(request));
      return redirectTo(reply, await resumeAfterRequiredAction(deps, request, reply));
    } catch (error) {
      const { status, text } = await errorText(request, error);
      const field = (toAppError(error).extras.errors as { field: string }[] | undefined)?.[0]?.field === 'question' ? 'question' : 'answer';
      return render(request, reply, { question: form.question, errors: { [field]: text } }, status);
    }
  });
}
