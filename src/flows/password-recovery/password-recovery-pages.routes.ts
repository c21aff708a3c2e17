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
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppError } from '../../domain/errors.ts';
import { fieldError, fieldErrors, formBody, formRoute, isTypingError, pageOrProblem, type TypedApp as App } from '../../web/form-route.ts';
import type { Html } from '../../web/html.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import type { PageContext } from '../../web/layout.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
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
import { securityQuestionForLink } from '../profile-completion/security-answer-factor.ts';
import { recoveryButtons } from '../federation/views/buttons.ts';
import {
  doneBody, linkProblemBody, newPasswordBody, secondFactorBody, sentBody, startBody, type NewPasswordView, type StartView,
} from './views/recovery.pages.ts';

const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const StartForm = formBody({ codiceFiscale: text(40), channel: text(5), email: text(254), mobile: text(30), captchaChallenge: text(100), captchaAnswer: text(10) });
const CodeForm = formBody({ flowId: text(36), code: text(12) });
const TokenForm = formBody({ token: text(100) });
const CompleteForm = formBody({ token: text(100), code: text(12), newPassword: text(256), confirmPassword: text(256), securityAnswer: text(200) });
const SentQuery = Type.Object({ channel: Type.Optional(Type.String()), flow: Type.Optional(Type.String()), lang: Type.Optional(Type.String({ maxLength: 5 })) });
const TokenParams = Type.Object({ token: Type.String() });
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
    linkProblem: (request: FastifyRequest, reply: FastifyReply, error: AppError, title: string) => pageOf(request, reply)('recovery.link.title',
      (ctx) => linkProblemBody(ctx, title), { status: error.status, path: '/recovery/password' }),
    newPassword: async (request: FastifyRequest, reply: FastifyReply, view: Omit<NewPasswordView, 'policy' | 'securityQuestion'>, status = 200, path = '/recovery/password') => {
      const securityQuestion = await securityQuestionForLink(deps, view.token); // the extra factor, when the account has one
      return pageOf(request, reply)(view.secondFactor ? 'recovery.secondFactor.title' : 'recovery.newPassword.title',
        (ctx) => newPasswordBody(ctx, { ...view, policy, securityQuestion }), { status, path });
    },
  };
}
type RecoveryPages = ReturnType<typeof recoveryPages>;

export async function passwordRecoveryPageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const pages = recoveryPages(deps);
  startRoutes(app, deps, pages);
  codeRoutes(app, deps, pages);
  linkRoutes(app, deps, pages);
  completeRoute(app, deps, pages);
}

/** Errors that end the link's life show the link page, not the form. */
const unlessForm = (pages: RecoveryPages, formCodes: string[]) =>
  (request: FastifyRequest, reply: FastifyReply, error: AppError) =>
    (formCodes.includes(error.code) || isTypingError(error) ? undefined : pages.linkProblem(request, reply, error, request.t(`error.${error.code}`)));

function startRoutes(app: App, deps: FlowDeps, pages: RecoveryPages): void {
  app.get('/recovery/password', { schema: { hide: true } }, (request, reply) => pages.start(request, reply, {}));

  formRoute(app, '/recovery/password', {
    body: StartForm,
    secrets: ['captchaChallenge', 'captchaAnswer'],
    fields: { invalid_codice_fiscale: 'codiceFiscale', invalid_captcha: 'captchaAnswer' },
    run: async (request, reply) => {
      // What is missing from the form itself, each tied to its field (nothing is looked up).
      const form = request.body;
      const issues: { field: string; text: string }[] = [];
      if (!(form.codiceFiscale ?? '').trim()) issues.push({ field: 'codiceFiscale', text: request.t('recovery.error.codiceFiscale') });
      if (form.channel === 'sms' ? !(form.mobile ?? '').trim() : !(form.email ?? '').trim()) {
        issues.push(form.channel === 'sms' ? { field: 'mobile', text: request.t('recovery.error.mobile') } : { field: 'email', text: request.t('recovery.error.email') });
      }
      const refused = fieldErrors(issues);
      if (refused) throw refused;
      const start = startOf(form);
      const { flowId } = await startPasswordRecovery(deps, start, requestMeta(request));
      return redirectTo(reply, `/recovery/password/sent?channel=${start.channel}&flow=${flowId}`);
    },
    render: (request, reply, { values, errors, status }) =>
      pages.start(request, reply, { ...values, channel: values.channel === 'sms' ? 'sms' : 'email', errors }, status),
  });

  // The same page for every input (S2): the flow id only routes the code form.
  app.get('/recovery/password/sent', { schema: { hide: true, querystring: SentQuery } }, async (request, reply) => {
    const query = request.query;
    const flowId = uuidPattern.test(String(query.flow)) ? String(query.flow) : nilFlow;
    return pageOf(request, reply)('recovery.sent.title', (ctx) => sentBody(ctx, { channel: query.channel === 'sms' ? 'sms' : 'email', flowId }));
  });
}

const flowIdOf = (value: string | undefined) => (uuidPattern.test(value ?? '') ? String(value) : nilFlow);

function codeRoutes(app: App, deps: FlowDeps, pages: RecoveryPages): void {
  formRoute(app, '/recovery/password/code', {
    body: CodeForm,
    secrets: ['code'],
    fields: { invalid_code: 'code' },
    message: (request, error) => (error.code === 'invalid_code' ? request.t('recovery.attemptsLeft', { count: Number(error.extras.attemptsLeft) }) : undefined),
    run: async (request, reply) => {
      const { token } = await submitRecoveryCode(deps, { flowId: flowIdOf(request.body.flowId), code: request.body.code ?? '' }, requestMeta(request));
      return pages.newPassword(request, reply, { token, secondFactor: false });
    },
    otherwise: unlessForm(pages, ['invalid_code']),
    render: (request, reply, { errors, status }) => {
      const flowId = flowIdOf(request.body.flowId);
      return pageOf(request, reply)('recovery.sent.title', (ctx) => sentBody(ctx, { channel: 'sms', flowId, error: errors.code ?? errors.form }),
        { status, path: `/recovery/password/sent?channel=sms&flow=${flowId}` });
    },
  });

  app.get('/recovery/password/done', { schema: { hide: true } }, async (request, reply) =>
    pageOf(request, reply)('recovery.done.title', (ctx) => doneBody(ctx)));
}

function linkRoutes(app: App, deps: FlowDeps, pages: RecoveryPages): void {
  app.get('/recovery/password/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    const token = request.params.token.slice(0, 100);
    return pageOrProblem(request, reply, async () => {
      const { needsCode, codeSent } = await inspectRecoveryToken(deps, token);
      const here = request.url;
      if (!needsCode || codeSent) return pages.newPassword(request, reply, { token, secondFactor: needsCode }, 200, here);
      return pageOf(request, reply)('recovery.secondFactor.title', (ctx) => secondFactorBody(ctx, { token }), { path: here });
    }, (error, title) => pages.linkProblem(request, reply, error, title));
  });

  formRoute(app, '/recovery/password/second-factor', {
    body: TokenForm,
    run: async (request, reply) => {
      const token = request.body.token ?? '';
      await sendSecondFactorCode(deps, { token }, requestMeta(request));
      return pages.newPassword(request, reply, { token, secondFactor: true, notice: request.t('recovery.secondFactor.sent') });
    },
    otherwise: unlessForm(pages, ['rate_limited']),
    render: (request, reply, { errors, status }) =>
      pages.newPassword(request, reply, { token: request.body.token ?? '', secondFactor: true, notice: errors.form }, status),
  });
}

function completeRoute(app: App, deps: FlowDeps, pages: RecoveryPages): void {
  formRoute(app, '/recovery/password/complete', {
    body: CompleteForm,
    secrets: ['code', 'newPassword', 'confirmPassword', 'securityAnswer'],
    fields: { weak_password: 'newPassword', invalid_code: 'code', invalid_credentials: 'securityAnswer' },
    message: (request, error) => (error.code === 'weak_password' ? weakPasswordText(request, error)
      : error.code === 'invalid_code' ? codeErrorText(request, error)
        : error.code === 'invalid_credentials' ? request.t('profile.recoveryAnswer.wrong') : undefined),
    run: async (request, reply) => {
      const form = request.body;
      if ((form.newPassword ?? '') !== (form.confirmPassword ?? '')) throw fieldError('confirmPassword', request.t('password.mismatch'));
      await completePasswordRecovery(deps, { token: form.token ?? '', newPassword: form.newPassword ?? '', ...(form.code !== undefined ? { code: form.code } : {}),
        ...(form.securityAnswer !== undefined ? { securityAnswer: form.securityAnswer } : {}) }, requestMeta(request));
      return redirectTo(reply, '/recovery/password/done');
    },
    otherwise: unlessForm(pages, ['weak_password', 'invalid_code', 'rate_limited', 'invalid_credentials', 'account_locked']),
    render: (request, reply, { errors, status }) => {
      const { form: notice, ...fieldErrors } = errors;
      return pages.newPassword(request, reply, { token: request.body.token ?? '', secondFactor: request.body.code !== undefined, errors: fieldErrors, notice }, status);
    },
  });
}

function codeErrorText(request: FastifyRequest, error: AppError): string {
  if (error.extras.codeExpired) return request.t('recovery.secondFactor.expired');
  return request.t('recovery.attemptsLeft', { count: Number(error.extras.attemptsLeft) });
}
