// Active sessions in the personal area (API and pages): list, end one, end every other one.
// The pages are plain forms in the citizen pages scope (CSRF on every POST, no JavaScript).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formBody } from '../../web/form-route.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { absoluteTimeoutSeconds, clearSessionCookie, idleTimeoutSeconds, requireCitizen } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { deviceInWords, placeInWords } from './device-words.ts';
import { activeSessions, endOtherSessions, endSession, type SessionOwner } from './sessions.steps.ts';
import { sessionsBody } from './views/sessions.page.ts';

const liveWindow = { idleSeconds: idleTimeoutSeconds, absoluteSeconds: absoluteTimeoutSeconds };
const SessionParams = Type.Object({ sessionId: Type.String({ minLength: 1, maxLength: 64 }) });
const Problem = Type.Object({ type: Type.String(), title: Type.String(), status: Type.Integer(), code: Type.String() }, { additionalProperties: true });

const SessionsResponse = Type.Object({
  sessions: Type.Array(Type.Object({
    id: Type.String(),
    current: Type.Boolean(),
    device: Type.Object({ browser: Type.Union([Type.String(), Type.Null()]), system: Type.Union([Type.String(), Type.Null()]), mobile: Type.Boolean(), description: Type.String() }),
    place: Type.Object({ kind: Type.Union([Type.Literal('local_network'), Type.Literal('masked'), Type.Literal('unknown')]), address: Type.Optional(Type.String()), description: Type.String() }),
    method: Type.String(),
    signedInAt: Type.String(),
    lastUsedAt: Type.String(),
  })),
});

function ownerOf(request: FastifyRequest): SessionOwner {
  const session = requireCitizen(request);
  return { accountId: session.account.id, codiceFiscale: session.account.codice_fiscale, currentIdHash: session.idHash };
}

export async function sessionsApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/me/sessions', { schema: { tags: ['account'], response: { 200: SessionsResponse, 401: Problem, 403: Problem } } }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store, private');
    const sessions = await activeSessions(deps, ownerOf(request), liveWindow);
    return {
      sessions: sessions.map((session) => ({
        id: session.id,
        current: session.current,
        device: { ...session.device, description: deviceInWords(session.device, request.lang) },
        place: { ...session.place, description: placeInWords(session.place, request.lang) },
        method: session.method,
        signedInAt: session.signedInAt.toISOString(),
        lastUsedAt: session.lastUsedAt.toISOString(),
      })),
    };
  });

  app.delete('/api/v1/me/sessions/:sessionId', {
    schema: { tags: ['account'], params: SessionParams, response: { 204: Type.Null(), 401: Problem, 403: Problem, 404: Problem } },
  }, async (request, reply) => {
    const { wasCurrent } = await endSession(deps, ownerOf(request), request.params.sessionId, requestMeta(request));
    if (wasCurrent) clearSessionCookie(reply, deps.config);
    return reply.status(204).send(null);
  });

  app.delete('/api/v1/me/sessions', {
    schema: { tags: ['account'], response: { 200: Type.Object({ ended: Type.Integer() }), 401: Problem, 403: Problem } },
  }, async (request) => ({ ended: await endOtherSessions(deps, ownerOf(request), requestMeta(request)) }));
}

export async function sessionsPageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const Query = Type.Object({ ended: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('others')])), lang: Type.Optional(Type.String({ maxLength: 5 })) });
  app.get('/area/sessions', { schema: { hide: true, querystring: Query } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const sessions = await activeSessions(deps, ownerOf(request), liveWindow);
    const notice = request.query.ended === '1' ? 'ended' : request.query.ended === 'others' ? 'others' : undefined;
    return sendPage(reply, ctx, { title: ctx.t('sessions.title'), body: sessionsBody(ctx, sessions, notice) });
  });

  const CsrfOnly = formBody({});
  app.post('/area/sessions/:sessionId/end', { schema: { hide: true, params: SessionParams, body: CsrfOnly } }, async (request, reply) => {
    const { wasCurrent } = await endSession(deps, ownerOf(request), request.params.sessionId, requestMeta(request));
    if (wasCurrent) {
      clearSessionCookie(reply, deps.config);
      return redirectTo(reply, '/signin');
    }
    return redirectTo(reply, '/area/sessions?ended=1');
  });

  app.post('/area/sessions/end-others', { schema: { hide: true, body: CsrfOnly } }, async (request, reply) => {
    await endOtherSessions(deps, ownerOf(request), requestMeta(request));
    return redirectTo(reply, '/area/sessions?ended=others');
  });
}
