// POST /api/v1/assistance/requests (multipart), /api/v1/assistance/confirm, and the pages.
import fastifyMultipart from '@fastify/multipart';
import { requireCleanText } from '../../web/text-input.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { maxDocumentBytes } from '../../domain/identity-document.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { problemFor, toAppError } from '../../web/problem.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { captchaFromForm } from '../captcha/captcha.field.ts';
import { issueCaptcha } from '../captcha/captcha.steps.ts';
import type { FlowDeps } from '../deps.ts';
import { categories, confirmAssistanceRequest, requestStatus, submitAssistanceRequest, type Category } from './assistance.steps.ts';
import { confirmBody, linkProblemBody, requestFormBody, sentBody, statusBody, type RequestFormView } from './views/assistance.pages.ts';

const fieldLimits: Record<string, number> = { codiceFiscale: 40, email: 254, category: 20, message: 2000, captcha: 200, captchaChallenge: 100, captchaAnswer: 10 };

/** Reads the multipart form: known text fields within their limits and one document. */
async function readRequestForm(request: FastifyRequest): Promise<{ fields: Record<string, string>; document: Buffer | null }> {
  const fields: Record<string, string> = {};
  let document: Buffer | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'document' || document) throw new AppError('invalid_request', { errors: [{ field: part.fieldname, message: 'unexpected file' }] });
        document = await part.toBuffer();
      } else if (part.fieldname in fieldLimits) {
        const value = String(part.value ?? '');
        if (value.length > fieldLimits[part.fieldname]!) throw new AppError('invalid_request', { errors: [{ field: part.fieldname, message: 'too long' }] });
        fields[part.fieldname] = requireCleanText(part.fieldname, value);
      } else if (part.fieldname !== '_csrf') {
        throw new AppError('invalid_request', { errors: [{ field: part.fieldname, message: 'unknown field' }] });
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('invalid_document', { reason: 'too_large' });
    throw error;
  }
  return { fields, document };
}

async function submitFromForm(deps: FlowDeps, request: FastifyRequest) {
  const { fields, document } = await readRequestForm(request);
  const missing = ['codiceFiscale', 'email', 'category', 'message'].filter((name) => !fields[name]);
  if (missing.length > 0) throw new AppError('invalid_request', { errors: missing.map((field) => ({ field, message: 'required' })) });
  if (!(categories as readonly string[]).includes(fields.category!)) throw new AppError('invalid_request', { errors: [{ field: 'category', message: 'unknown category' }] });
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fields.email!)) throw new AppError('invalid_request', { errors: [{ field: 'email', message: 'not an email address' }] });
  if (!document) throw new AppError('invalid_document', { reason: 'empty' });
  const result = await submitAssistanceRequest(deps, {
    codiceFiscale: fields.codiceFiscale!, email: fields.email!, category: fields.category as Category, message: fields.message!,
    document, captcha: fields.captcha ?? captchaFromForm(fields), language: request.lang,
  }, requestMeta(request));
  return { result, fields };
}

const multipartLimits = { limits: { fileSize: maxDocumentBytes, files: 1, fields: 12, fieldSize: 4000, parts: 14 } };

export async function assistanceApiRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  await app.register(fastifyMultipart, multipartLimits);

  app.post('/api/v1/assistance/requests', {
    schema: { tags: ['assistance'], consumes: ['multipart/form-data'],
      description: 'multipart/form-data: codiceFiscale, email, category, message, document (PDF/JPEG/PNG ≤ 5 MiB), captcha',
      response: { 202: Type.Object({ requestId: Type.String() }) } },
  }, async (request, reply) => {
    if (!request.isMultipart()) throw new AppError('unsupported_media_type');
    const { result } = await submitFromForm(deps, request);
    return reply.status(202).send(result);
  });

  app.post('/api/v1/assistance/confirm', {
    schema: { tags: ['assistance'], body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ requestId: Type.String(), status: Type.String(), dueBy: Type.Union([Type.String(), Type.Null()]) }) } },
  }, async (request) => {
    const status = await confirmAssistanceRequest(deps, (request.body as { token: string }).token);
    return { requestId: status.requestId, status: status.status, dueBy: status.dueBy };
  });
}

/** Pages: registered in the pages scope (form bodies), with multipart for the request form. */
export async function assistancePageRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  await app.register(fastifyMultipart, multipartLimits);

  const page = (request: FastifyRequest, reply: FastifyReply, title: MessageKey, body: (ctx: ReturnType<typeof pageContext>) => ReturnType<typeof sentBody>, status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t(title), body: body(ctx) }, status);
  };
  const form = async (request: FastifyRequest, reply: FastifyReply, view: Omit<RequestFormView, 'captcha'>, status = 200) => {
    const captcha = deps.config.captcha ? await issueCaptcha(deps, request.lang) : null;
    return page(request, reply, 'assistance.title', (ctx) => requestFormBody(ctx, { ...view, captcha }), status);
  };

  app.get('/assistance', { schema: { hide: true } }, (request, reply) => form(request, reply, {}));

  app.post('/assistance', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    try {
      await submitFromForm(deps, request);
      return page(request, reply, 'assistance.title', (ctx) => sentBody(ctx));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      const title = problemFor(request, appError).title;
      const errors = appError.code === 'invalid_document' ? { document: title } : appError.code === 'invalid_codice_fiscale' ? { codiceFiscale: title }
        : appError.code === 'invalid_captcha' ? { captcha: title } : { form: title };
      return form(request, reply, { errors }, appError.status);
    }
  });

  const showStatus = async (request: FastifyRequest, reply: FastifyReply, load: () => Promise<Awaited<ReturnType<typeof requestStatus>>>) => {
    try {
      const status = await load();
      return page(request, reply, 'assistance.status.title', (ctx) => statusBody(ctx, status));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      return page(request, reply, 'assistance.status.title', (ctx) => linkProblemBody(ctx, problemFor(request, appError).title), appError.status);
    }
  };

  // The link only shows; confirming is a POST (S25: nothing changes state on GET).
  app.get('/assistance/confirm/:token', { schema: { hide: true } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    try {
      const status = await requestStatus(deps, token.slice(0, 100));
      if (status.status !== 'unconfirmed') return page(request, reply, 'assistance.status.title', (ctx) => statusBody(ctx, status));
      return page(request, reply, 'assistance.confirm.title', (ctx) => confirmBody(ctx, token));
    } catch (error) {
      return showStatus(request, reply, () => Promise.reject(error));
    }
  });

  app.post('/assistance/confirm', { schema: { hide: true }, preValidation: app.csrfProtection }, (request, reply) =>
    showStatus(request, reply, () => confirmAssistanceRequest(deps, String((request.body as { token?: string }).token ?? '').slice(0, 100))));
}
