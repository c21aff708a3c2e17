// POST /api/v1/recovery/pin, /recovery/pin/confirm and their pages.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { MessageKey } from '../../web/i18n/index.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { problemFor, toAppError } from '../../web/problem.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { captchaFromForm } from '../captcha/captcha.field.ts';
import { issueCaptcha } from '../captcha/captcha.steps.ts';
import type { FlowDeps } from '../deps.ts';
import { confirmPinRecovery, startPinRecovery, type PinRecoveryStart } from './pin-recovery.steps.ts';
import { pinRecoveryConfirmBody, pinRecoverySentBody, pinRecoveryStartBody, type PinRecoveryStartView } from './views/pin-recovery.pages.ts';

const Accepted = Type.Object({ status: Type.Literal('accepted') });
const accepted = { status: 'accepted' as const };
const Contact = Type.Optional(Type.String({ maxLength: 254 }));

export async function pinRecoveryApiRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  app.post('/api/v1/recovery/pin', {
    schema: { tags: ['pin'], response: { 202: Accepted }, body: Type.Object({ codiceFiscale: Type.String({ maxLength: 40 }), mobile: Contact,
      email: Contact, pec: Contact, captcha: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    await startPinRecovery(deps, request.body as PinRecoveryStart, requestMeta(request));
    return reply.status(202).send(accepted);
  });

  app.post('/api/v1/recovery/pin/confirm', {
    schema: { tags: ['pin'], response: { 202: Accepted }, body: Type.Object({ codiceFiscale: Type.String({ maxLength: 40 }),
      recoveryCode: Type.String({ maxLength: 12 }) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    await confirmPinRecovery(deps, request.body as { codiceFiscale: string; recoveryCode: string }, requestMeta(request));
    return reply.status(202).send(accepted);
  });
}

export async function pinRecoveryPageRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  const render = (request: FastifyRequest, reply: FastifyReply, title: MessageKey, body: (ctx: ReturnType<typeof pageContext>) => ReturnType<typeof pinRecoverySentBody>, status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t(title), body: body(ctx) }, status);
  };
  const renderStart = async (request: FastifyRequest, reply: FastifyReply, view: Omit<PinRecoveryStartView, 'captcha'>, status = 200) => {
    const captcha = deps.config.captcha ? await issueCaptcha(deps, request.lang) : null;
    return render(request, reply, 'pinRecovery.title', (ctx) => pinRecoveryStartBody(ctx, { ...view, captcha }), status);
  };

  app.get('/recovery/pin', { schema: { hide: true } }, (request, reply) => renderStart(request, reply, {}));

  app.post('/recovery/pin', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    const form = request.body as Record<string, string | undefined>;
    const values = { codiceFiscale: String(form.codiceFiscale ?? ''), mobile: form.mobile?.trim() || undefined,
      email: form.email?.trim() || undefined, pec: form.pec?.trim() || undefined };
    try {
      await startPinRecovery(deps, { ...values, captcha: captchaFromForm(form) }, requestMeta(request));
      return redirectTo(reply, '/recovery/pin/sent');
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      const title = problemFor(request, appError).title;
      const fieldErrors = appError.code === 'invalid_codice_fiscale' ? { codiceFiscale: title } : appError.code === 'invalid_captcha' ? { captcha: title } : undefined;
      return renderStart(request, reply, { values, fieldErrors, error: fieldErrors ? undefined : title }, appError.status);
    }
  });

  app.get('/recovery/pin/sent', { schema: { hide: true } }, (request, reply) => render(request, reply, 'pinRecovery.title', (ctx) => pinRecoverySentBody(ctx)));

  app.get('/recovery/pin/confirm', { schema: { hide: true } }, (request, reply) =>
    render(request, reply, 'pinRecovery.confirm.title', (ctx) => pinRecoveryConfirmBody(ctx, {})));

  // The emailed link pre-fills the form; nothing is spent until the citizen confirms (S26).
  app.get('/recovery/pin/confirm/:codiceFiscale/:code', { schema: { hide: true } }, (request, reply) => {
    const { codiceFiscale, code } = request.params as { codiceFiscale: string; code: string };
    return render(request, reply, 'pinRecovery.confirm.title', (ctx) => pinRecoveryConfirmBody(ctx, { codiceFiscale: codiceFiscale.slice(0, 16), code: code.slice(0, 8) }));
  });

  app.post('/recovery/pin/confirm', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    const form = request.body as { codiceFiscale?: string; recoveryCode?: string };
    const input = { codiceFiscale: String(form.codiceFiscale ?? '').slice(0, 40), recoveryCode: String(form.recoveryCode ?? '').slice(0, 12) };
    try {
      await confirmPinRecovery(deps, input, requestMeta(request));
      return render(request, reply, 'pinRecovery.confirm.title', (ctx) => pinRecoveryConfirmBody(ctx, { done: true }));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      return render(request, reply, 'pinRecovery.confirm.title', (ctx) =>
        pinRecoveryConfirmBody(ctx, { codiceFiscale: input.codiceFiscale, error: problemFor(request, appError).title }), appError.status);
    }
  });
}
