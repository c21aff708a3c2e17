// API (shared/API.md "Password recovery") and pages of "Password dimenticata".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppError } from '../../domain/errors.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { problemFor, toAppError } from '../../web/problem.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { captchaFromForm } from '../captcha/captcha.field.ts';
import { weakPasswordText } from '../password-change/password-change.routes.ts';
import { issueCaptcha } from '../captcha/captcha.steps.ts';
import type { FlowDeps } from '../deps.ts';
import {
  completePasswordRecovery, inspectRecoveryToken, startPasswordRecovery, submitRecoveryCode, type RecoveryStart,
} from './password-recovery.steps.ts';
import { doneBody, linkProblemBody, newPasswordBody, sentBody, startBody, type StartView } from './views/recovery.pages.ts';

const Cf = Type.String({ maxLength: 40 });
const Captcha = Type.Optional(Type.String({ maxLength: 200 }));
const Token = Type.String({ minLength: 1, maxLength: 100 });
const StartBody = Type.Union([
  Type.Object({ codiceFiscale: Cf, channel: Type.Literal('email'), email: Type.String({ format: 'email', maxLength: 254 }), captcha: Captcha },
    { additionalProperties: false }),
  Type.Object({ codiceFiscale: Cf, channel: Type.Literal('sms'), mobile: Type.String({ maxLength: 30 }), captcha: Captcha },
    { additionalProperties: false }),
]);
const FlowParams = Type.Object({ flowId: Type.String({ format: 'uuid', maxLength: 36 }) });
const noStore = (reply: FastifyReply) => reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer');

export async function passwordRecoveryApiRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  app.post('/api/v1/recovery/password', {
    schema: { tags: ['recovery'], body: StartBody, response: { 202: Type.Object({ flowId: Type.String(), expiresAt: Type.String() }) } },
  }, async (request, reply) => reply.status(202).send(await startPasswordRecovery(deps, request.body as RecoveryStart, requestMeta(request))));

  app.post('/api/v1/recovery/password/:flowId/code', {
    schema: { tags: ['recovery'], params: FlowParams, body: Type.Object({ code: Type.String({ maxLength: 12 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ token: Type.String() }) } },
  }, async (request, reply) => {
    const { flowId } = request.params as { flowId: string };
    noStore(reply);
    return submitRecoveryCode(deps, { flowId, code: (request.body as { code: string }).code }, requestMeta(request));
  });

  app.post('/api/v1/recovery/password/complete', {
    schema: { tags: ['recovery'], body: Type.Object({ token: Token, newPassword: Type.String({ maxLength: 256 }),
      code: Type.Optional(Type.String({ maxLength: 12, description: 'the SMS code, when RECOVERY_SECOND_FACTOR=sms applies' })) },
    { additionalProperties: false }) },
  }, async (request, reply) => {
    await completePasswordRecovery(deps, request.body as { token: string; newPassword: string; code?: string }, requestMeta(request));
    return reply.status(204).send();
  });
}

interface StartForm { codiceFiscale: string; channel?: 'email' | 'sms'; email?: string; mobile?: string; captchaChallenge?: string; captchaAnswer?: string }

export async function passwordRecoveryPageRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  const page = async (request: FastifyRequest, reply: FastifyReply, title: MessageKey, body: (ctx: ReturnType<typeof pageContext>) => ReturnType<typeof startBody>, status = 200) => {
    const ctx = pageContext(request, reply);
    noStore(reply);
    return sendPage(reply, ctx, { title: ctx.t(title), body: body(ctx) }, status);
  };
  const renderStart = async (request: FastifyRequest, reply: FastifyReply, view: Omit<StartView, 'captcha'>, status = 200) => {
    const captcha = deps.config.captcha ? await issueCaptcha(deps, request.lang) : null;
    return page(request, reply, 'recovery.title', (ctx) => startBody(ctx, { ...view, captcha }), status);
  };

  app.get('/recovery/password', { schema: { hide: true } }, (request, reply) => renderStart(request, reply, {}));

  app.post('/recovery/password', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    const form = request.body as StartForm;
    const channel = form.channel === 'sms' ? 'sms' : 'email';
    const start = { codiceFiscale: String(form.codiceFiscale ?? ''), captcha: captchaFromForm(form),
      ...(channel === 'sms' ? { channel, mobile: String(form.mobile ?? '') } : { channel, email: String(form.email ?? '') }) } as RecoveryStart;
    try {
      const { flowId } = await startPasswordRecovery(deps, start, requestMeta(request));
      return redirectTo(reply, `/recovery/password/sent?channel=${channel}&flow=${flowId}`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      const title = problemFor(request, appError).title;
      const fieldErrors = appError.code === 'invalid_codice_fiscale' ? { codiceFiscale: title }
        : appError.code === 'invalid_captcha' ? { captcha: title } : appError.code === 'invalid_request' ? { contact: title } : undefined;
      return renderStart(request, reply, { ...form, channel, fieldErrors, error: fieldErrors ? undefined : title }, appError.status);
    }
  });

  app.get('/recovery/password/sent', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as { channel?: string; flow?: string };
    const channel = query.channel === 'sms' ? 'sms' : 'email';
    return page(request, reply, 'recovery.sent.title', (ctx) => sentBody(ctx, { channel, flowId: String(query.flow ?? '').slice(0, 36) }));
  });

  app.post('/recovery/password/code', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    const form = request.body as { flowId?: string; code?: string };
    const flowId = String(form.flowId ?? '').slice(0, 36);
    try {
      const validFlow = /^[0-9a-f-]{36}$/.test(flowId) ? flowId : '00000000-0000-0000-0000-000000000000';
      const { token } = await submitRecoveryCode(deps, { flowId: validFlow, code: String(form.code ?? '').slice(0, 12) }, requestMeta(request));
      return page(request, reply, 'recovery.newPassword.title', (ctx) => newPasswordBody(ctx, { token, needsCode: false, policy: deps.config.passwordPolicy }));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      if (appError.code === 'invalid_code') {
        const message = request.t('recovery.attemptsLeft', { count: Number(appError.extras.attemptsLeft) });
        return page(request, reply, 'recovery.sent.title', (ctx) => sentBody(ctx, { channel: 'sms', flowId, error: message }), 400);
      }
      return linkProblem(request, reply, appError);
    }
  });

  const linkProblem = (request: FastifyRequest, reply: FastifyReply, error: AppError) =>
    page(request, reply, 'recovery.link.title', (ctx) => linkProblemBody(ctx, problemFor(request, error).title), error.status);

  // S26: the token stays in this one page; it is checked, not spent, and the form carries it.
  app.get('/recovery/password/:token', { schema: { hide: true } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    try {
      const { needsCode } = await inspectRecoveryToken(deps, token.slice(0, 100));
      return page(request, reply, 'recovery.newPassword.title', (ctx) => newPasswordBody(ctx, { token, needsCode, policy: deps.config.passwordPolicy }));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      return linkProblem(request, reply, appError);
    }
  });

  app.post('/recovery/password/complete', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    const form = request.body as { token?: string; newPassword?: string; confirmPassword?: string; code?: string };
    const token = String(form.token ?? '').slice(0, 100);
    const needsCode = form.code !== undefined;
    const again = (errors: { password?: string; confirm?: string; code?: string }, status: number) =>
      page(request, reply, 'recovery.newPassword.title', (ctx) => newPasswordBody(ctx, { token, needsCode, policy: deps.config.passwordPolicy, errors }), status);
    if ((form.newPassword ?? '') !== (form.confirmPassword ?? '')) return again({ confirm: request.t('password.mismatch') }, 400);
    try {
      await completePasswordRecovery(deps, { token, newPassword: String(form.newPassword ?? ''), ...(needsCode ? { code: String(form.code) } : {}) }, requestMeta(request));
      return page(request, reply, 'recovery.done.title', (ctx) => doneBody(ctx));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      if (appError.code === 'weak_password') return again({ password: weakPasswordText(request, appError) }, 400);
      if (appError.code === 'invalid_code') return again({ code: request.t('recovery.attemptsLeft', { count: Number(appError.extras.attemptsLeft) }) }, 400);
      return linkProblem(request, reply, appError);
    }
  });
}
