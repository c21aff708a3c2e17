// POST/DELETE /api/v1/session and the sign-in / sign-out pages.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import { deleteSession } from '../../store/sessions.repo.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { clearSessionCookie, setSessionCookie } from '../../web/session.ts';
import { problemFor, toAppError } from '../../web/problem.ts';
import type { FlowDeps } from '../deps.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { safeReturnTo } from '../../domain/return-to.ts';
import { asFlowId, liveLoginFlow, loginFlowDestination, resumeLoginFlow, startLoginFlow } from './login-flow.steps.ts';
import { signIn, type SignInSecret } from './sign-in.steps.ts';
import { signInBody, signInMethods, type SignInMethod, type SignInView } from './views/sign-in.page.ts';

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

const SignInForm = Type.Object(
  {
    _csrf: Type.String({ maxLength: 200 }),
    method: Type.Union(signInMethods.map((m) => Type.Literal(m))),
    codiceFiscale: Type.String({ maxLength: 40 }),
    password: Type.Optional(Type.String({ maxLength: 256 })),
    pin: Type.Optional(Type.String({ maxLength: 64 })),
    flow: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

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

export async function signInApiRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  app.post('/api/v1/session', {
    schema: { tags: ['session'], body: SessionBody, response: { 200: SessionResponse } },
  }, async (request, reply) => {
    const body = request.body as { codiceFiscale: string; password?: string; pin?: string };
    const result = await signIn(deps, { codiceFiscale: body.codiceFiscale, secret: secretFrom(body) }, requestMeta(request));
    setSessionCookie(reply, deps.config, result.sessionId);
    return { codiceFiscale: result.codiceFiscale, requiredActions: result.requiredActions };
  });

  app.delete('/api/v1/session', { schema: { tags: ['session'] } }, async (request, reply) => {
    await endSession(deps, request, reply);
    return reply.status(204).send();
  });
}

function lockedMessage(request: FastifyRequest, error: AppError): string {
  const seconds = Number(error.extras.retryAfter ?? 0);
  return request.t('signIn.locked', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
}

export async function signInPageRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  // A sign-in page that has somewhere to go back to opens a login flow and carries its id; a
  // bare one opens none (the flow is recorded when the secret is accepted), so crawling the
  // page writes nothing.
  app.get('/signin', { schema: { hide: true, querystring: SignInQuery } }, async (request, reply) => {
    const query = request.query as { method?: string; signedOut?: string; next?: string; flow?: string };
    const method = (signInMethods as readonly string[]).includes(query.method ?? '') ? (query.method as SignInMethod) : 'password';
    const returnTo = safeReturnTo(query.next);
    const flow = (await liveLoginFlow(deps, query.flow)) ?? (returnTo ? await startLoginFlow(deps, { returnTo }) : null);
    const ctx = pageContext(request, reply);
    const notice = query.signedOut ? ctx.t('signIn.signedOut') : undefined;
    return sendPage(reply, ctx, { title: ctx.t('signIn.title'), body: signInBody(ctx, { method, notice, flowId: flow?.id ?? null }) });
  });

  app.post('/signin', { schema: { hide: true, body: SignInForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    const form = request.body as { method: SignInMethod; codiceFiscale: string; password?: string; pin?: string; flow?: string };
    const secret: SignInSecret = form.method === 'pin' ? { kind: 'pin', value: form.pin ?? '' } : { kind: 'password', value: form.password ?? '' };
    const flowId = asFlowId(form.flow);
    try {
      const result = await signIn(deps, { codiceFiscale: form.codiceFiscale, secret, flowId }, requestMeta(request));
      setSessionCookie(reply, deps.config, result.sessionId);
      return redirectTo(reply, result.next);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      const view: SignInView = { method: form.method, codiceFiscale: form.codiceFiscale, flowId };
      if (appError.code === 'invalid_codice_fiscale') view.fieldErrors = { codiceFiscale: problemFor(request, appError).title };
      else view.error = appError.code === 'account_locked' ? lockedMessage(request, appError) : problemFor(request, appError).title;
      const ctx = pageContext(request, reply);
      return sendPage(reply, ctx, { title: ctx.t('signIn.title'), body: signInBody(ctx, view) }, appError.status);
    }
  });

  // Where a signed-in browser goes now: its next required action, or back where its login
  // flow came from. Read-only (S25): the pages that clear an action resume the flow themselves.
  app.get('/signin/continue', { schema: { hide: true, querystring: ContinueQuery } }, async (request, reply) => {
    const session = request.citizen;
    if (!session) return redirectTo(reply, '/signin');
    const { fallback } = request.query as { fallback?: string };
    return redirectTo(reply, await loginFlowDestination(deps, session, fallback));
  });

  app.post('/signout', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    await endSession(deps, request, reply);
    return redirectTo(reply, '/signin?signedOut=1');
  });
}

/**
 * After a page or endpoint cleared a required action: resume the login flow and, once nothing
 * is pending, carry on under the new session id it issued (S19). Returns where to go.
 */
export async function resumeAfterRequiredAction(deps: FlowDeps, request: FastifyRequest, reply: FastifyReply, fallback?: string): Promise<string> {
  const session = request.citizen;
  if (!session) return '/signin';
  const resumed = await resumeLoginFlow(deps, session, fallback);
  if (resumed.sessionId) setSessionCookie(reply, deps.config, resumed.sessionId);
  return resumed.next;
}
