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
import { signIn, type SignInSecret } from './sign-in.steps.ts';
import { safeReturnTo } from '../../domain/return-to.ts';
import { federationChoices } from '../federation/federation.routes.ts';
import { federationButtons } from '../federation/views/buttons.ts';
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
  },
  { additionalProperties: false },
);

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
  app.get('/signin', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as { method?: string; signedOut?: string; next?: string };
    const method = (signInMethods as readonly string[]).includes(query.method ?? '') ? (query.method as SignInMethod) : 'password';
    const ctx = pageContext(request, reply);
    const notice = query.signedOut ? ctx.t('signIn.signedOut') : undefined;
    const federation = federationButtons(ctx, federationChoices(request), { next: safeReturnTo(query.next) ?? undefined });
    return sendPage(reply, ctx, { title: ctx.t('signIn.title'), body: signInBody(ctx, { method, notice, federation }) });
  });

  app.post('/signin', { schema: { hide: true, body: SignInForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    const form = request.body as { method: SignInMethod; codiceFiscale: string; password?: string; pin?: string };
    const secret: SignInSecret = form.method === 'pin' ? { kind: 'pin', value: form.pin ?? '' } : { kind: 'password', value: form.password ?? '' };
    try {
      const result = await signIn(deps, { codiceFiscale: form.codiceFiscale, secret }, requestMeta(request));
      setSessionCookie(reply, deps.config, result.sessionId);
      return redirectTo(reply, '/area');
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      const view: SignInView = { method: form.method, codiceFiscale: form.codiceFiscale };
      view.federation = federationButtons(pageContext(request, reply), federationChoices(request));
      if (appError.code === 'invalid_codice_fiscale') view.fieldErrors = { codiceFiscale: problemFor(request, appError).title };
      else view.error = appError.code === 'account_locked' ? lockedMessage(request, appError) : problemFor(request, appError).title;
      const ctx = pageContext(request, reply);
      return sendPage(reply, ctx, { title: ctx.t('signIn.title'), body: signInBody(ctx, view) }, appError.status);
    }
  });

  app.post('/signout', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    await endSession(deps, request, reply);
    return redirectTo(reply, '/signin?signedOut=1');
  });
}
