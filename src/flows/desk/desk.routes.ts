// Operator API (shared/API.md "Assistance desk") and the back-office pages under /desk.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formatCivilDate, romeDate } from '../../domain/working-days.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { fieldErrors, formBody, formRoute } from '../../web/form-route.ts';
import { currentOperator, endOperatorSession, setOperatorCookie } from '../../web/operator-session.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { deskTemporaryPassword, findRequest, listRequests, requestDocument, resolveRequest } from './desk.steps.ts';
import { signInOperator } from './operator-auth.ts';
import { operatorSignInBody, queueBody, requestBody } from './views/desk.pages.ts';
import { citizenFile, resendFailedMessage } from './citizen-file.steps.ts';
import { citizenFileBody, citizenSearchBody, searchForm } from './views/citizen-file.pages.ts';
import { AppError } from '../../domain/errors.ts';
import { html } from '../../web/html.ts';
import { alert } from '../../web/forms.ts';
import { fileResponse } from '../../web/openapi.ts';
import { countOpenIdentityMismatches } from '../identity-mismatches/identity-mismatches.steps.ts';
import { mismatchesLink } from '../identity-mismatches/views/identity-mismatches.page.ts';

const security = [{ bearerAuth: [] }];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid', maxLength: 36 }) });
const Statuses = Type.Union(['unconfirmed', 'confirmed', 'resolved', 'rejected', 'expired'].map((s) => Type.Literal(s)));
const CfParams = Type.Object({ codiceFiscale: Type.String({ maxLength: 40 }) });
const DeskCheckBody = Type.Object({ identityVerified: Type.Optional(Type.Boolean()), note: Type.String({ maxLength: 1000 }) }, { additionalProperties: false });
const SignInForm = formBody({ codiceFiscale: Type.Optional(Type.String({ maxLength: 40 })), password: Type.Optional(Type.String({ maxLength: 256 })) });
const Outcomes = Type.Union([Type.Literal('temporary_password'), Type.Literal('pin_issued'), Type.Literal('rejected')]);
const Checkbox = Type.Optional(Type.Literal('true'));
const ResolveForm = formBody({ outcome: Type.Optional(Outcomes), identityVerified: Checkbox, updateEmail: Checkbox, note: Type.Optional(Type.String({ maxLength: 1000 })) });
const CitizenQuery = Type.Object({ codiceFiscale: Type.Optional(Type.String({ maxLength: 40 })), resent: Type.Optional(Type.String({ maxLength: 1 })), lang: Type.Optional(Type.String({ maxLength: 5 })) });
const QueueQuery = Type.Object({ resolved: Type.Optional(Type.String()), lang: Type.Optional(Type.String({ maxLength: 5 })) });
const ResolveBody = Type.Object({
  outcome: Outcomes,
  identityVerified: Type.Optional(Type.Boolean()), note: Type.String({ maxLength: 1000 }), updateEmail: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

async function sendDocument(deps: FlowDeps, id: string, reply: FastifyReply) {
  const document = await requestDocument(deps, id);
  // S29: only ever downloaded, never rendered inline by the browser.
  return reply.header('Content-Disposition', `attachment; filename="${document.name}"`).header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'no-store').type(document.mediaType).send(document.bytes);
}

/** In the desk scope: every route has its operator (token or back-office session). */
export async function deskApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/desk/requests', {
    schema: { tags: ['desk'], security, querystring: Type.Object({ status: Type.Optional(Statuses) }, { additionalProperties: false }),
      response: { 200: Type.Object({ requests: Type.Array(Type.Object({ id: Type.String(), codiceFiscale: Type.String(), category: Type.String(),
        status: Type.String(), createdAt: Type.String(), dueBy: Type.Union([Type.String(), Type.Null()]) })) }) } },
  }, async (request) => ({ requests: await listRequests(deps, request.query.status ?? 'confirmed') }));

  app.get('/api/v1/desk/requests/:id/document', { schema: { tags: ['desk'], security, params: IdParams, response: { 200: fileResponse(['application/pdf', 'image/jpeg', 'image/png']) } } }, async (request, reply) =>
    sendDocument(deps, request.params.id, reply));

  app.post('/api/v1/desk/requests/:id/resolve', {
    schema: { tags: ['desk'], security, params: IdParams, body: ResolveBody, response: { 200: Type.Object({ id: Type.String(), status: Type.String() }) } },
  }, async (request) => {
    const { id } = request.params;
    await resolveRequest(deps, currentOperator(request), id, request.body, requestMeta(request));
    return { id, status: request.body.outcome === 'rejected' ? 'rejected' : 'resolved' };
  });

  const FailedMessage = Type.Object({ id: Type.String(), channel: Type.String(), recipient: Type.String(), kind: Type.String(),
    createdAt: Type.String(), reason: Type.Union([Type.String(), Type.Null()]), resendable: Type.Boolean() });
  app.get('/api/v1/desk/accounts/:codiceFiscale/messages', {
    schema: { tags: ['desk'], security, params: CfParams, description: 'Messages to the citizen\'s registered contacts that were given up (status failed).',
      response: { 200: Type.Object({ messages: Type.Array(FailedMessage) }) } },
  }, async (request) => ({ messages: (await citizenFile(deps, currentOperator(request), request.params.codiceFiscale)).failedMessages }));

  app.post('/api/v1/desk/accounts/:codiceFiscale/messages/:messageId/resend', {
    schema: { tags: ['desk'], security, params: Type.Object({ codiceFiscale: Type.String({ maxLength: 40 }), messageId: Type.String({ format: 'uuid', maxLength: 36 }) }),
      description: 'Queues a failed message again (fresh attempts). 409 conflict when it is not failed or its secret body was erased.',
      response: { 202: Type.Object({ status: Type.Literal('queued') }) } },
  }, async (request, reply) => {
    await resendFailedMessage(deps, currentOperator(request), request.params.codiceFiscale, request.params.messageId, requestMeta(request));
    return reply.status(202).send({ status: 'queued' as const });
  });

  app.post('/api/v1/desk/accounts/:codiceFiscale/temporary-password', {
    schema: { tags: ['desk'], security, params: CfParams, body: DeskCheckBody, response: { 202: Type.Object({ status: Type.Literal('accepted') }) } },
  }, async (request, reply) => {
    await deskTemporaryPassword(deps, currentOperator(request), request.params.codiceFiscale, request.body, requestMeta(request));
    return reply.status(202).send({ status: 'accepted' });
  });
}

type Render = (request: FastifyRequest, reply: FastifyReply, title: MessageKey, body: (ctx: ReturnType<typeof pageContext>) => ReturnType<typeof queueBody>, status?: number) => FastifyReply;
const render: Render = (request, reply, title, body, status = 200) => {
  const ctx = pageContext(request, reply);
  return sendPage(reply, ctx, { title: ctx.t(title), body: body(ctx) }, status);
};

/** Public pages of the back office: its sign-in and sign-out (pages scope). */
export async function deskSignInRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/desk/signin', { schema: { hide: true } }, (request, reply) => render(request, reply, 'desk.signin.title', (ctx) => operatorSignInBody(ctx)));

  formRoute(app, '/desk/signin', {
    body: SignInForm,
    secrets: ['password'],
    fields: { invalid_codice_fiscale: 'codiceFiscale' },
    run: async (request, reply) => {
      const sessionId = await signInOperator(deps, { codiceFiscale: request.body.codiceFiscale ?? '', password: request.body.password ?? '' }, requestMeta(request));
      setOperatorCookie(reply, deps.config, sessionId);
      return redirectTo(reply, '/desk');
    },
    render: (request, reply, { values, errors, status }) =>
      render(request, reply, 'desk.signin.title', (ctx) => operatorSignInBody(ctx, { values, errors }), status),
  });

  app.post('/desk/signout', { schema: { hide: true, body: formBody({}) } }, async (request, reply) => {
    await endOperatorSession(deps, request, reply);
    return redirectTo(reply, '/desk/signin');
  });
}

/** The back office (desk pages scope): without a live operator session, the sign-in page. */
export async function deskPageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/desk', { schema: { hide: true, querystring: QueueQuery } }, async (request, reply) => {
    const entries = await listRequests(deps, 'confirmed');
    const notice = request.query.resolved ? request.t('desk.queue.resolved') : undefined;
    const mismatches = await countOpenIdentityMismatches(deps); // issue 10: SPID/CIE data to review
    return render(request, reply, 'desk.queue.title', (ctx) => html`${mismatchesLink(ctx, mismatches)}${queueBody(ctx, entries, formatCivilDate(romeDate(deps.clock.now())), notice)}`);
  });

  const fileOf = async (request: FastifyRequest, codiceFiscale: string) => {
    try {
      return await citizenFile(deps, currentOperator(request), codiceFiscale);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return null;
      throw error;
    }
  };

  app.get('/desk/requests/:id', { schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const entry = await findRequest(deps, request.params.id);
    const file = await fileOf(request, entry.codiceFiscale);
    return render(request, reply, 'desk.request.title', (ctx) => requestBody(ctx, entry, {}, file));
  });

  app.get('/desk/citizens', { schema: { hide: true, querystring: CitizenQuery } }, async (request, reply) => {
    const query = (request.query.codiceFiscale ?? '').slice(0, 40);
    if (!query) return render(request, reply, 'desk.citizen.title', (ctx) => citizenSearchBody(ctx, ''));
    const file = await fileOf(request, query);
    if (!file) return render(request, reply, 'desk.citizen.title', (ctx) => citizenSearchBody(ctx, query, ctx.t('desk.search.notFound')), 404);
    const notice = request.query.resent ? request.t('desk.messages.resent') : undefined;
    return render(request, reply, 'desk.citizen.title', (ctx) => html`${searchForm(ctx)}${citizenFileBody(ctx, file, notice)}`);
  });

  formRoute(app, '/desk/citizens/:codiceFiscale/messages/:messageId/resend', {
    body: formBody({}),
    params: Type.Object({ codiceFiscale: Type.String({ maxLength: 40 }), messageId: Type.String({ format: 'uuid', maxLength: 36 }) }),
    run: async (request, reply) => {
      await resendFailedMessage(deps, currentOperator(request), request.params.codiceFiscale, request.params.messageId, requestMeta(request));
      return redirectTo(reply, `/desk/citizens?codiceFiscale=${encodeURIComponent(request.params.codiceFiscale)}&resent=1`);
    },
    render: async (request, reply, { errors, status }) => {
      const file = await fileOf(request, request.params.codiceFiscale);
      return render(request, reply, 'desk.citizen.title', (ctx) => html`${alert('danger', errors.form ?? '')}${file ? citizenFileBody(ctx, file) : ''}`, status);
    },
  });

  app.get('/desk/requests/:id/document', { schema: { hide: true, params: IdParams } }, async (request, reply) =>
    sendDocument(deps, request.params.id, reply));

  formRoute(app, '/desk/requests/:id/resolve', {
    body: ResolveForm,
    params: IdParams,
    fields: { identity_not_verified: 'identityVerified' },
    run: async (request, reply) => {
      const form = request.body;
      // Nothing is assumed: no outcome chosen is an error, never a silent temporary password.
      const t = request.t;
      const issues: { field: string; text: string }[] = [];
      if (!form.outcome) issues.push({ field: 'outcome', text: t('desk.error.outcome') });
      if (form.outcome && form.outcome !== 'rejected' && form.identityVerified !== 'true') issues.push({ field: 'identityVerified', text: t('desk.error.identity') });
      if (form.outcome === 'rejected' && !(form.note ?? '').trim()) issues.push({ field: 'note', text: t('desk.error.reason') });
      const refused = fieldErrors(issues);
      if (refused || !form.outcome) throw refused;
      await resolveRequest(deps, currentOperator(request), request.params.id, { outcome: form.outcome, identityVerified: form.identityVerified === 'true',
        note: form.note ?? '', updateEmail: form.updateEmail === 'true' }, requestMeta(request));
      return redirectTo(reply, '/desk?resolved=1');
    },
    render: async (request, reply, { values, errors, status }) => {
      const entry = await findRequest(deps, request.params.id);
      const file = await fileOf(request, entry.codiceFiscale);
      return render(request, reply, 'desk.request.title', (ctx) => requestBody(ctx, entry, { values, errors }, file), status);
    },
  });
}
