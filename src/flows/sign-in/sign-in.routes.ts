// POST/DELETE /api/v1/session and the sign-in / sign-out pages.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { hashToken } from '../../domain/secrets.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import { deleteSession } from '../../store/sessions.repo.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { clearSessionCookie, setSessionCookie } from '../../web/session.ts';
import { formBody, formRoute } from '../../web/form-route.ts';
import type { FlowDeps } from '../deps.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { safeReturnTo } from '../../domain/return-to.ts';
import { asFlowId, liveLoginFlow, loginFlowDestination, resumeLoginFlow, startLoginFlow } from './login-flow.steps.ts';
import { signIn, type SignInSecret } from './sign-in.steps.ts';
import { federationChoices, prepareSingleLogout, sendSingleLogout } from '../federation/federation.routes.ts';
import { federationButtons } from '../federation/views/buttons.ts';
import { signInBody, signInMethods, type SignInMethod, type SignInView } from './views/sign-in.page.ts';
import { noContent } from '../../web/openapi.ts';

const SessionBody = Type.Object(
  {
    codiceFiscale: Type.String({ maxLength: 40 }),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    pin: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);

const SessionResponse = Type.Object({
  codiceFiscale: Type.String(),
  requiredActions: Type.Array(Type.String()),
});

const SignInForm = formBody({
  method: Type.Union([Type.Literal('password'), Type.Literal('pin')]),
  codiceFiscale: Type.String({ maxLength: 40 }),
  password: Type.Optional(Type.String({ maxLength: 256 })),
  pin: Type.Optional(Type.String({ maxLength: 64 })),
  flow: Type.Optional(Type.String({ maxLength: 64 })),
});

const SignInQuery = Type.Object({
  method: Type.Optional(Type.String({ maxLength: 20 })),
  signedOut: Type.Optional(Type.String({ maxLength: 5 })),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  flow: Type.Optional(Type.String({ maxLength: 64 })),
});

const ContinueQuery = Type.Object({
  fallback: Type.Optional(Type.String({ maxLength: 2000 })),
});

function secretFrom(body: { password?: string; pin?: string }): SignInSecret {
  if (body.password !== undefined && body.pin === undefined) return { kind: 'password', value: body.password };
  if (body.pin !== undefined && body.password === undefined) return { kind: 'pin', value: body.pin };
  throw new AppError('invalid_request', { errors: [{ field: 'password', message: 'give either password or pin' }] });
}

async function endSession(deps: FlowDeps, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const session = request.citizen;
  if (session) {
    await deps.db.transaction(async (tx) => {
      await deleteSession(tx, session.idHash);
      await recordAudit(tx, deps.clock.now(), {
        type: 'sign_out', actor: `citizen:${session.account.codice_fiscale}`, accountId: session.account.id,
        ...requestMeta(request), outcome: 'success',
      });
    });
  }
  clearSessionCookie(reply, deps.config);
}

export async function signInApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/session', {
    schema: { tags: ['session'], body: SessionBody, response: { 200: SessionResponse } },
  }, async (request, reply) => {
    const body = request.body;
    const result = await signIn(deps, { codiceFiscale: body.codiceFiscale, secret: secretFrom(body) }, requestMeta(request));
    setSessionCookie(reply, deps.config, result.sessionId);
    return { codiceFiscale: result.codiceFiscale, requiredActions: result.requiredActions };
  });

  app.delete('/api/v1/session', { schema: { tags: ['session'], response: { 204: noContent } } }, async (request, reply) => {
    await endSession(deps, request, reply);
    return reply.status(204).send();
  });
}

export async function signInPageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const page = (request: FastifyRequest, reply: FastifyReply, view: SignInView, status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('signIn.title'), body: signInBody(ctx, view) }, status);
  };

  // A sign-in page that has somewhere to go back to opens a login flow and carries its id; a
  // bare one opens none (the flow is recorded when the secret is accepted), so crawling the
  // page writes nothing.
  app.get('/signin', { schema: { hide: true, querystring: SignInQuery } }, async (request, reply) => {
    const query = request.query;
    const method = (signInMethods as readonly string[]).includes(query.method ?? '') ? (query.method as SignInMethod) : 'password';
    const returnTo = safeReturnTo(query.next);
    const live = await liveLoginFlow(deps, query.flow);
    const flow = live ?? (returnTo ? await startLoginFlow(deps, { returnTo }) : null);
    const ctx = pageContext(request, reply);
    const notice = query.signedOut ? ctx.t('signIn.signedOut') : undefined;
    // SPID and CIE take the same way back: the flow's return_to travels as their next.
    const federation = federationButtons(ctx, federationChoices(request), { next: live?.return_to ?? returnTo ?? undefined });
    return page(request, reply, { method, notice, flowId: flow?.id ?? null, federation });
  });

  formRoute(app, '/signin', {
    body: SignInForm,
    secrets: ['password', 'pin'],
    fields: { invalid_codice_fiscale: 'codiceFiscale' }, // a lock says until when by itself
    run: async (request, reply) => {
      const form = request.body;
      const secret: SignInSecret = form.method === 'pin' ? { kind: 'pin', value: form.pin ?? '' } : { kind: 'password', value: form.password ?? '' };
      const result = await signIn(deps, { codiceFiscale: form.codiceFiscale, secret, flowId: asFlowId(form.flow) }, requestMeta(request));
      setSessionCookie(reply, deps.config, result.sessionId);
      return redirectTo(reply, result.next);
    },
    render: (request, reply, { values, errors, status }) => page(request, reply, {
      method: values.method === 'pin' ? 'pin' : 'password', codiceFiscale: values.codiceFiscale, flowId: asFlowId(values.flow),
      error: errors.form, locked: status === 423, fieldErrors: { codiceFiscale: errors.codiceFiscale },
      federation: federationButtons(pageContext(request, reply), federationChoices(request)),
    }, status),
  });

  // Where a signed-in browser goes now: its next required action, or back where its login
  // flow came from. Read-only (S25): the pages that clear an action resume the flow themselves.
  app.get('/signin/continue', { schema: { hide: true, querystring: ContinueQuery } }, async (request, reply) => {
    const session = request.citizen;
    if (!session) return redirectTo(reply, '/signin');
    return redirectTo(reply, await loginFlowDestination(deps, session, request.query.fallback));
  });

  app.post('/signout', { schema: { hide: true } }, async (request, reply) => {
    // A SPID session also tells its IdP (single logout); the request is built before the session ends.
    const singleLogout = await prepareSingleLogout(deps, request);
    await endSession(deps, request, reply);
    if (singleLogout) return sendSingleLogout(request, reply, singleLogout);
    return redirectTo(reply, '/signin?signedOut=1');
  });
}

/**
 * After a page or endpoint cleared a required action: resume the login flow and, once nothing
 * is pending, carry on under the new session id it issued (S19). Returns where to go.
 */
/**
 * S19 for a page that goes on rendering after a credential change: the session gets a new id
 * (cookie set), and the page being rendered binds its CSRF token to that id, so its forms work.
 */
export async function renewSessionForPage(deps: FlowDeps, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const session = request.citizen;
  if (!session) return;
  const resumed = await resumeLoginFlow(deps, session);
  if (!resumed.sessionId) return;
  setSessionCookie(reply, deps.config, resumed.sessionId);
  request.citizen = { ...session, idHash: hashToken(resumed.sessionId) };
}

export async function resumeAfterRequiredAction(deps: FlowDeps, request: FastifyRequest, reply: FastifyReply, fallback?: string): Promise<string> {
  const session = request.citizen;
  if (!session) return '/signin';
  const resumed = await resumeLoginFlow(deps, session, fallback);
  if (resumed.sessionId) setSessionCookie(reply, deps.config, resumed.sessionId);
  return resumed.next;
}
