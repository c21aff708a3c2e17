// POST /api/v1/assistance/requests (multipart), /api/v1/assistance/confirm, and the pages.
import fastifyMultipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireCleanText } from '../../web/text-input.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { maxDocumentBytes } from '../../domain/identity-document.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { checkCsrf } from '../../web/scopes.ts';
import { fieldErrors, formBody, formRoute, pageOrProblem } from '../../web/form-route.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { captchaFromForm } from '../captcha/captcha.field.ts';
import { issueCaptcha } from '../captcha/captcha.steps.ts';
import type { FlowDeps } from '../deps.ts';
import { categories, confirmAssistanceRequest, requestStatus, submitAssistanceRequest, type Category, type RequestStatus } from './assistance.steps.ts';
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
      } else if (part.fieldname === '_csrf') {
        fields._csrf = String(part.value ?? '').slice(0, 200);
      } else {
        throw new AppError('invalid_request', { errors: [{ field: part.fieldname, message: 'unknown field' }] });
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('invalid_document', { reason: 'too_large' });
    throw error;
  }
  return { fields, document };
}

async function submitFromForm(deps: FlowDeps, request: FastifyRequest, beforeSubmit?: () => Promise<void>) {
  const { fields, document } = await readRequestForm(request);
  request.body = fields; // what the page form keeps if the step refuses (and where checkCsrf reads the token)
  await beforeSubmit?.();
  // Every field in error at once, each with what to do (Designers Italia's error summary).
  const t = request.t;
  const issues: { field: string; text: string }[] = [];
  if (!fields.codiceFiscale) issues.push({ field: 'codiceFiscale', text: t('assistance.error.codiceFiscale') });
  if (!fields.email) issues.push({ field: 'email', text: t('assistance.error.email') });
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fields.email)) issues.push({ field: 'email', text: t('assistance.error.emailFormat') });
  if (!(categories as readonly string[]).includes(fields.category ?? '')) issues.push({ field: 'category', text: t('assistance.error.category') });
  if (!fields.message) issues.push({ field: 'message', text: t('assistance.error.message') });
  if (!document || document.length === 0) issues.push({ field: 'document', text: t('assistance.error.document') });
  const refused = fieldErrors(issues);
  if (refused) throw refused;
  if (!document) throw new AppError('invalid_document', { reason: 'empty' });
  const result = await submitAssistanceRequest(deps, {
    codiceFiscale: fields.codiceFiscale!, email: fields.email!, category: fields.category as Category, message: fields.message!,
    document, captcha: fields.captcha ?? captchaFromForm(fields), language: request.lang,
  }, requestMeta(request));
  return { result, fields };
}

const multipartLimits = { limits: { fileSize: maxDocumentBytes, files: 1, fields: 12, fieldSize: 4000, parts: 14 } };
const ConfirmBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
// The fields of the multipart page form, for what it keeps (readRequestForm checks them).
const RequestForm = formBody({ codiceFiscale: text(40), email: text(254), category: text(20), message: text(2000), document: text(0), captchaChallenge: text(100), captchaAnswer: text(10) });
const ConfirmForm = formBody({ token: Type.Optional(Type.String()) });
const TokenParams = Type.Object({ token: Type.String() });

export async function assistanceApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
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
    schema: { tags: ['assistance'], body: ConfirmBody,
      response: { 200: Type.Object({ requestId: Type.String(), status: Type.String(), dueBy: Type.Union([Type.String(), Type.Null()]) }) } },
  }, async (request) => {
    const status = await confirmAssistanceRequest(deps, request.body.token);
    return { requestId: status.requestId, status: status.status, dueBy: status.dueBy };
  });
}

/** Pages: in the pages scope (form bodies, CSRF), with multipart for the request form. */
export async function assistancePageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  await app.register(fastifyMultipart, multipartLimits);

  const page = (request: FastifyRequest, reply: FastifyReply, title: MessageKey, body: (ctx: ReturnType<typeof pageContext>) => ReturnType<typeof sentBody>, status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t(title), body: body(ctx) }, status);
  };
  const form = async (request: FastifyRequest, reply: FastifyReply, view: Omit<RequestFormView, 'captcha'>, status = 200) => {
    const captcha = deps.config.captcha ? await issueCaptcha(deps, request.lang) : null;
    return page(request, reply, 'assistance.title', (ctx) => requestFormBody(ctx, { ...view, captcha }), status);
  };
  const statusPage = (request: FastifyRequest, reply: FastifyReply, status: RequestStatus) =>
    page(request, reply, 'assistance.status.title', (ctx) => statusBody(ctx, status));
  const linkProblem = (request: FastifyRequest, reply: FastifyReply, title: string, status: number) =>
    page(request, reply, 'assistance.status.title', (ctx) => linkProblemBody(ctx, title), status);

  app.get('/assistance', { schema: { hide: true } }, (request, reply) => form(request, reply, {}));
  // Post/redirect/get: the address bar shows a plain address, and reloading sends nothing again.
  app.get('/assistance/sent', { schema: { hide: true } }, (request, reply) => page(request, reply, 'assistance.title', (ctx) => sentBody(ctx)));

  formRoute(app, '/assistance', {
    body: RequestForm,
    multipart: true,
    config: { csrfAfterMultipart: true },
    secrets: ['captchaChallenge', 'captchaAnswer'],
    fields: { invalid_document: 'document', invalid_codice_fiscale: 'codiceFiscale', invalid_captcha: 'captchaAnswer' },
    run: async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('unsupported_media_type');
      await submitFromForm(deps, request, () => checkCsrf(app, request, reply));
      return redirectTo(reply, '/assistance/sent');
    },
    render: (request, reply, { values, errors, status }) => form(request, reply, { values, errors }, status),
  });

  // The link only shows; confirming is a POST (S25: nothing changes state on GET).
  app.get('/assistance/confirm/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    const token = request.params.token.slice(0, 100);
    return pageOrProblem(request, reply, async () => {
      const status = await requestStatus(deps, token);
      if (status.status !== 'unconfirmed') return statusPage(request, reply, status);
      return page(request, reply, 'assistance.confirm.title', (ctx) => confirmBody(ctx, request.params.token));
    }, (error, title) => linkProblem(request, reply, title, error.status));
  });

  formRoute(app, '/assistance/confirm', {
    body: ConfirmForm,
    run: async (request, reply) => statusPage(request, reply, await confirmAssistanceRequest(deps, (request.body.token ?? '').slice(0, 100))),
    render: (request, reply, { errors, status }) => linkProblem(request, reply, Object.values(errors).find(Boolean) ?? '', status),
  });
}
