// Operator API (shared/API.md "Assistance desk") and the back-office pages under /desk.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formatCivilDate, romeDate } from '../../domain/working-days.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { problemFor, toAppError } from '../../web/problem.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { deskTemporaryPassword, findRequest, listRequests, requestDocument, resolveRequest, type Outcome } from './desk.steps.ts';
import { operatorCookieName, operatorFromSession, requireOperator, signInOperator } from './operator-auth.ts';
import { operatorSignInBody, queueBody, requestBody } from './views/desk.pages.ts';

const security = [{ bearerAuth: [] }];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid', maxLength: 36 }) });
const Statuses = Type.Union(['unconfirmed', 'confirmed', 'resolved', 'rejected', 'expired'].map((s) => Type.Literal(s)));
const ResolveBody = Type.Object({
  outcome: Type.Union([Type.Literal('temporary_password'), Type.Literal('pin_issued'), Type.Literal('rejected')]),
  identityVerified: Type.Optional(Type.Boolean()), note: Type.String({ maxLength: 1000 }), updateEmail: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

async function sendDocument(deps: FlowDeps, id: string, reply: FastifyReply) {
  const document = await requestDocument(deps, id);
  // S29: only ever downloaded, never rendered inline by the browser.
  return reply.header('Content-Disposition', `attachment; filename="${document.name}"`).header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'no-store').type(document.mediaType).send(document.bytes);
}

export async function deskApiRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  app.get('/api/v1/desk/requests', {
    schema: { tags: ['desk'], security, querystring: Type.Object({ status: Type.Optional(Statuses) }, { additionalProperties: false }),
      response: { 200: Type.Object({ requests: Type.Array(Type.Object({ id: Type.String(), codiceFiscale: Type.String(), category: Type.String(),
        status: Type.String(), createdAt: Type.String(), dueBy: Type.Union([Type.String(), Type.Null()]) })) }) } },
  }, async (request) => {
    await requireOperator(deps, request);
    return { requests: await listRequests(deps, (request.query as { status?: string }).status ?? 'confirmed') };
  });

  app.get('/api/v1/desk/requests/:id/document', { schema: { tags: ['desk'], security, params: IdParams } }, async (request, reply) => {
    await requireOperator(deps, request);
    return sendDocument(deps, (request.params as { id: string }).id, reply);
  });

  app.post('/api/v1/desk/requests/:id/resolve', {
    schema: { tags: ['desk'], security, params: IdParams, body: ResolveBody, response: { 200: Type.Object({ id: Type.String(), status: Type.String() }) } },
  }, async (request) => {
    const operator = await requireOperator(deps, request);
    const { id } = request.params as { id: string };
    const body = request.body as { outcome: Outcome; identityVerified?: boolean; note: string; updateEmail?: boolean };
    await resolveRequest(deps, operator, id, body, requestMeta(request));
    return { id, status: body.outcome === 'rejected' ? 'rejected' : 'resolved' };
  });

  app.post('/api/v1/desk/accounts/:codiceFiscale/temporary-password', {
    schema: { tags: ['desk'], security, params: Type.Object({ codiceFiscale: Type.String({ maxLength: 40 }) }),
      body: Type.Object({ identityVerified: Type.Optional(Type.Boolean()), note: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const operator = await requireOperator(deps, request);
    await deskTemporaryPassword(deps, operator, (request.params as { codiceFiscale: string }).codiceFiscale,
      request.body as { identityVerified?: boolean; note: string }, requestMeta(request));
    return reply.status(202).send({ status: 'accepted' });
  });
}

export async function deskPageRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  const render = (request: FastifyRequest, reply: FastifyReply, title: MessageKey, body: (ctx: ReturnType<typeof pageContext>) => ReturnType<typeof queueBody>, status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t(title), body: body(ctx) }, status);
  };

  app.get('/desk/signin', { schema: { hide: true } }, (request, reply) => render(request, reply, 'desk.signin.title', (ctx) => operatorSignInBody(ctx)));

  app.post('/desk/signin', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    const form = request.body as { codiceFiscale?: string; password?: string };
    try {
      await signInOperator(deps, { codiceFiscale: String(form.codiceFiscale ?? '').slice(0, 40), password: String(form.password ?? '').slice(0, 256) }, reply);
      return redirectTo(reply, '/desk');
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      return render(request, reply, 'desk.signin.title', (ctx) => operatorSignInBody(ctx, problemFor(request, appError).title), appError.status);
    }
  });

  app.post('/desk/signout', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    const operator = await operatorFromSession(deps, request);
    if (operator) await deps.db.query('DELETE FROM operator_sessions WHERE id_hash = $1', [operator.sessionIdHash]);
    reply.clearCookie(operatorCookieName(deps.config), { path: '/' });
    return redirectTo(reply, '/desk/signin');
  });

  app.get('/desk', { schema: { hide: true } }, async (request, reply) => {
    if (!(await operatorFromSession(deps, request))) return redirectTo(reply, '/desk/signin');
    const entries = await listRequests(deps, 'confirmed');
    const notice = (request.query as { resolved?: string }).resolved ? request.t('desk.queue.resolved') : undefined;
    return render(request, reply, 'desk.queue.title', (ctx) => queueBody(ctx, entries, formatCivilDate(romeDate(deps.clock.now())), notice));
  });

  app.get('/desk/requests/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    if (!(await operatorFromSession(deps, request))) return redirectTo(reply, '/desk/signin');
    const entry = await findRequest(deps, (request.params as { id: string }).id);
    return render(request, reply, 'desk.request.title', (ctx) => requestBody(ctx, entry));
  });

  app.get('/desk/requests/:id/document', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    if (!(await operatorFromSession(deps, request))) return redirectTo(reply, '/desk/signin');
    return sendDocument(deps, (request.params as { id: string }).id, reply);
  });

  app.post('/desk/requests/:id/resolve', { schema: { hide: true, params: IdParams }, preValidation: app.csrfProtection }, async (request, reply) => {
    const operator = await operatorFromSession(deps, request);
    if (!operator) return redirectTo(reply, '/desk/signin');
    const { id } = request.params as { id: string };
    const form = request.body as { outcome?: string; identityVerified?: string; note?: string; updateEmail?: string };
    const outcome = (['temporary_password', 'pin_issued', 'rejected'].includes(form.outcome ?? '') ? form.outcome : 'rejected') as Outcome;
    try {
      await resolveRequest(deps, operator, id, { outcome, identityVerified: form.identityVerified === 'true', note: String(form.note ?? '').slice(0, 1000),
        updateEmail: form.updateEmail === 'true' }, requestMeta(request));
      return redirectTo(reply, '/desk?resolved=1');
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      const entry = await findRequest(deps, id);
      return render(request, reply, 'desk.request.title', (ctx) => requestBody(ctx, entry, problemFor(request, appError).title), appError.status);
    }
  });
}
