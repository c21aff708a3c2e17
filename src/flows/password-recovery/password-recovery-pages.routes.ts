// Pages of "Password dimenticata", registered in the pages scope (form bodies, CSRF: S24).
// S25, S26: the link's landing page (GET /recovery/password/<token>) checks the token
// WITHOUT spending it and puts it in a hidden field of the new-password form. We chose this
// over trading it at once for a cookie and a redirect because a GET must not change state
// (S25) and mail scanners that prefetch links must neither spend nor alter them. The page
// answers with Referrer-Policy: no-referrer and Cache-Control: no-store and loads nothing
// from elsewhere, so the token leaves it only in the form's POST; once used, voided or 30
// minutes old, the URL left in the history is worthless. Pages that carry a token after a
// POST (code accepted, SMS code sent, a form to correct) are the answer to that POST rather
// than a redirect, so that the token never travels in another URL.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppError } from '../../domain/errors.ts';
import type { Html } from '../../web/html.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import type { PageContext } from '../../web/layout.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { problemFor, toAppError } from '../../web/problem.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { captchaFromForm } from '../captcha/captcha.field.ts';
import { issueCaptcha } from '../captcha/captcha.steps.ts';
import type { FlowDeps } from '../deps.ts';
import { weakPasswordText } from '../password-change/password-change.routes.ts';
import { noStore } from './password-recovery.routes.ts';
import {
  completePasswordRecovery, inspectRecoveryToken, sendSecondFactorCode, startPasswordRecovery, submitRecoveryCode, type RecoveryStart,
} from './password-recovery.steps.ts';
import { federationChoices } from '../federation/federation.routes.ts';
import { recoveryButtons } from '../federation/views/buttons.ts';
import {
  doneBody, linkProblemBody, newPasswordBody, secondFactorBody, sentBody, startBody, type NewPasswordView, type StartView,
} from './views/recovery.pages.ts';

const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const formSchema = (fields: Record<string, ReturnType<typeof text>>) =>
  ({ hide: true, body: Type.Object({ _csrf: text(200), ...fields }, { additionalProperties: false }) });
const StartForm = formSchema({ codiceFiscale: text(40), channel: text(5), email: text(254), mobile: text(30), captchaChallenge: text(100), captchaAnswer: text(10) });
const CodeForm = formSchema({ flowId: text(36), code: text(12) });
const TokenForm = formSchema({ token: text(100) });
const CompleteForm = formSchema({ token: text(100), code: text(12), newPassword: text(256), confirmPassword: text(256) });
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const nilFlow = '00000000-0000-0000-0000-000000000000'; // walks the same path as any unknown flow

type StartFields = { codiceFiscale?: string; channel?: string; email?: string; mobile?: string; captchaChallenge?: string; captchaAnswer?: string };
type Show = (title: MessageKey, body: (ctx: PageContext) => Html, options?: { status?: number; path?: string }) => FastifyReply;

/** Every page here is no-store and no-referrer; pages answering a POST name a GET page for their language links. */
function pageOf(request: FastifyRequest, reply: FastifyReply): Show {
  return (title, body, options = {}) => {
    const ctx = pageContext(request, reply);
    const shown = options.path ? { ...ctx, path: options.path } : ctx;
    return sendPage(noStore(reply), shown, { title: ctx.t(title), body: body(shown) }, options.status ?? 200);
  };
}

/** Client errors become page content; anything else goes to the error handler. */
function clientError(error: unknown): AppError {
  const appError = toAppError(error);
  if (appError.status >= 500) throw error;
  return appError;
}

function startOf(form: StartFields): RecoveryStart {
  const codiceFiscale = form.codiceFiscale ?? '';
  const captcha = captchaFromForm(form);
  return form.channel === 'sms'
    ? { codiceFiscale, channel: 'sms', mobile: form.mobile ?? '', captcha }
    : { codiceFiscale, channel: 'email', email: form.email ?? '', captcha };
}

/** The page renderers every route here shares. */
function recoveryPages(deps: FlowDeps) {
  const policy = deps.config.passwordPolicy;
  return {
    start: async (request: FastifyRequest, reply: FastifyReply, view: Omit<StartView, 'captcha'>, status = 200) => {
      const captcha = deps.config.captcha ? await issueCaptcha(deps, request.lang) : null;
      return pageOf(request, reply)('recovery.title', (ctx) => startBody(ctx, { ...view, captcha, federation: recoveryButtons(ctx, federationChoices(request)) }), { status, path: '/recovery/password' });
    },
    linkProblem: (request: FastifyRequest, reply: FastifyReply, error: AppError) => pageOf(request, reply)('recovery.link.title',
      (ctx) => linkProblemBody(ctx, problemFor(request, error).title), { status: error.status, path: '/recovery/password' }),
    newPassword: (request: FastifyRequest, reply: FastifyReply, view: Omit<NewPasswordView, 'policy'>, status = 200, path = '/recovery/password') =>
      pageOf(request, reply)(view.secondFactor ? 'recovery.secondFactor.title' : 'recovery.newPassword.title',
        (ctx) => newPasswordBody(ctx, { ...view, policy }), { status, path }),
  };
}
type RecoveryPages = ReturnType<typeof recoveryPages>;

export async function passwordRecoveryPageRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  const pages = recoveryPages(deps);
  startRoutes(app, deps, pages);
  codeRoutes(app, deps, pages);
  linkRoutes(app, deps, pages);
  completeRoute(app, deps, pages);
}

function startRoutes(app: FastifyInstance, deps: FlowDeps, pages: RecoveryPages): void {
  app.get('/recovery/password', { schema: { hide: true } }, (request, reply) => pages.start(request, reply, {}));

  app.post('/recovery/password', { schema: StartForm, preValidation: app.csrfProtection }, async (request, reply) => {
    const form = request.body as StartFields;
    const start = startOf(form);
    try {
      const { flowId } = await startPasswordRecovery(deps, start, requestMeta(request));
      return redirectTo(reply, `/recovery/password/sent?channel=${start.channel}&flow=${flowId}`);
    } catch (error) {
      const appError = clientError(error);
      const title = problemFor(request, appError).title;
      const fieldErrors = appError.code === 'invalid_codice_fiscale' ? { codiceFiscale: title }
        : appError.code === 'invalid_captcha' ? { captcha: title } : appError.code === 'invalid_request' ? { contact: title } : undefined;
      const retryAfter = appError.extras.retryAfter;
      if (typeof retryAfter === 'number') reply.header('Retry-After', String(retryAfter));
      return pages.start(request, reply, { ...form, channel: start.channel, fieldErrors, error: fieldErrors ? undefined : title }, appError.status);
    }
  });

  // The same page for every input (S2): the flow id only routes the code form.
  app.get('/recovery/password/sent', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as { channel?: string; flow?: string };
    const flowId = uuidPattern.test(String(query.flow)) ? String(query.flow) : nilFlow;
    return pageOf(request, reply)('recovery.sent.title', (ctx) => sentBody(ctx, { channel: query.channel === 'sms' ? 'sms' : 'email', flowId }));
  });
}

function codeRoutes(app: FastifyInstance, deps: FlowDeps, pages: RecoveryPages): void {
  app.post('/recovery/password/code', { schema: CodeForm, preValidation: app.csrfProtection }, async (request, reply) => {
    const form = request.body as { flowId?: string; code?: string };
    const flowId = uuidPattern.test(form.flowId ?? '') ? String(form.flowId) : nilFlow;
    try {
      const { token } = await submitRecoveryCode(deps, { flowId, code: form.code ?? '' }, requestMeta(request));
      return pages.newPassword(request, reply, { token, secondFactor: false });
    } catch (error) {
      const appError = clientError(error);
      if (appError.code !== 'invalid_code') return pages.linkProblem(request, reply, appError);
      const message = request.t('recovery.attemptsLeft', { count: Number(appError.extras.attemptsLeft) });
      return pageOf(request, reply)('recovery.sent.title', (ctx) => sentBody(ctx, { channel: 'sms', flowId, error: message }),
        { status: 400, path: `/recovery/password/sent?channel=sms&flow=${flowId}` });
    }
  });

  app.get('/recovery/password/done', { schema: { hide: true } }, async (request, reply) =>
    pageOf(request, reply)('recovery.done.title', (ctx) => doneBody(ctx)));
}

function linkRoutes(app: FastifyInstance, deps: FlowDeps, pages: RecoveryPages): void {
  app.get('/recovery/password/:token', { schema: { hide: true } }, async (request, reply) => {
    const token = (request.params as { token: string }).token.slice(0, 100);
    try {
      const { needsCode, codeSent } = await inspectRecoveryToken(deps, token);
      const here = request.url;
      if (!needsCode || codeSent) return pages.newPassword(request, reply, { token, secondFactor: needsCode }, 200, here);
      return pageOf(request, reply)('recovery.secondFactor.title', (ctx) => secondFactorBody(ctx, { token }), { path: here });
    } catch (error) {
      return pages.linkProblem(request, reply, clientError(error));
    }
  });

  app.post('/recovery/password/second-factor', { schema: TokenForm, preValidation: app.csrfProtection }, async (request, reply) => {
    const token = (request.body as { token?: string }).token ?? '';
    try {
      await sendSecondFactorCode(deps, { token }, requestMeta(request));
      return pages.newPassword(request, reply, { token, secondFactor: true, notice: request.t('recovery.secondFactor.sent') });
    } catch (error) {
      const appError = clientError(error);
      if (appError.code !== 'rate_limited') return pages.linkProblem(request, reply, appError);
      return pages.newPassword(request, reply, { token, secondFactor: true, notice: problemFor(request, appError).title }, 429);
    }
  });
}

function completeRoute(app: FastifyInstance, deps: FlowDeps, pages: RecoveryPages): void {
  app.post('/recovery/password/complete', { schema: CompleteForm, preValidation: app.csrfProtection }, async (request, reply) => {
    const form = request.body as { token?: string; newPassword?: string; confirmPassword?: string; code?: string };
    const token = form.token ?? '';
    const secondFactor = form.code !== undefined;
    const again = (errors: NonNullable<NewPasswordView['errors']>, status: number, notice?: string) =>
      pages.newPassword(request, reply, { token, secondFactor, errors, notice }, status);
    if ((form.newPassword ?? '') !== (form.confirmPassword ?? '')) return again({ confirm: request.t('password.mismatch') }, 400);
    try {
      await completePasswordRecovery(deps, { token, newPassword: form.newPassword ?? '', ...(secondFactor ? { code: form.code } : {}) },
        requestMeta(request));
      return redirectTo(reply, '/recovery/password/done');
    } catch (error) {
      const appError = clientError(error);
      if (appError.code === 'weak_password') return again({ password: weakPasswordText(request, appError) }, 400);
      if (appError.code === 'invalid_code') return again({ code: codeErrorText(request, appError) }, 400);
      if (appError.code === 'rate_limited') return again({}, 429, problemFor(request, appError).title);
      return pages.linkProblem(request, reply, appError);
    }
  });
}

function codeErrorText(request: FastifyRequest, error: AppError): string {
  if (error.extras.codeExpired) return request.t('recovery.secondFactor.expired');
  return request.t('recovery.attemptsLeft', { count: Number(error.extras.attemptsLeft) });
}
