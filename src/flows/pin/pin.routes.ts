// The citizen's PIN: first access, change and revocation (shared/API.md "PIN"), API and pages.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import { findAccountById } from '../../store/accounts.repo.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { problemFor, toAppError } from '../../web/problem.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { requireCitizen, type CitizenSession } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { confirmPinChange, proposePinChange } from './pin-change.steps.ts';
import { revokePin } from './pin-issue.steps.ts';
import { pinConfirmBody, pinIntroBody, type PinConfirmView } from './views/pin.pages.ts';

const PinField = Type.String({ minLength: 1, maxLength: 64 });

/** PIN endpoints serve a session whose only pending action is change_pin (S23). */
function requirePinSession(request: FastifyRequest): CitizenSession {
  const session = requireCitizen(request);
  if (session.requiredActions.some((action) => action !== 'change_pin')) {
    throw new AppError('action_required', { requiredActions: session.requiredActions });
  }
  return session;
}

const pinSession = (session: CitizenSession) => ({ accountId: session.account.id, idHash: session.idHash, authMethod: session.authMethod });

async function revoke(deps: FlowDeps, session: CitizenSession, request: FastifyRequest): Promise<void> {
  const account = await findAccountById(deps.db, session.account.id);
  if (!account) throw new AppError('unauthenticated');
  await deps.db.transaction((tx) => revokePin(tx, deps, account, requestMeta(request), `citizen:${account.codice_fiscale}`, session.idHash));
}

export async function pinApiRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  app.post('/api/v1/me/pin/change', {
    schema: { tags: ['pin'], response: { 200: Type.Object({ changeId: Type.String(), proposedPin: Type.String() }) } },
  }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    return proposePinChange(deps, pinSession(requirePinSession(request)));
  });

  app.post('/api/v1/me/pin/change/:changeId', {
    schema: { tags: ['pin'], params: Type.Object({ changeId: Type.String({ format: 'uuid', maxLength: 36 }) }),
      body: Type.Object({ oldPin: PinField, newPin: PinField, verificationCode: Type.Optional(Type.String({ maxLength: 12 })) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const session = requirePinSession(request);
    const body = request.body as { oldPin: string; newPin: string; verificationCode?: string };
    await confirmPinChange(deps, pinSession(session), { changeId: (request.params as { changeId: string }).changeId, ...body }, requestMeta(request));
    return reply.status(204).send();
  });

  app.post('/api/v1/me/pin/revoke', { schema: { tags: ['pin'] } }, async (request, reply) => {
    await revoke(deps, requirePinSession(request), request);
    return reply.status(204).send();
  });
}

export async function pinPageRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  const render = (request: FastifyRequest, reply: FastifyReply, body: (ctx: ReturnType<typeof pageContext>) => ReturnType<typeof pinIntroBody>, status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('pin.change.title'), body: body(ctx) }, status);
  };

  app.get('/area/pin/change', { schema: { hide: true } }, async (request, reply) => {
    if (!request.citizen) return redirectTo(reply, '/signin?method=pin');
    const session = requirePinSession(request);
    return render(request, reply, (ctx) => pinIntroBody(ctx, session.requiredActions.includes('change_pin')));
  });

  app.post('/area/pin/change/propose', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    if (!request.citizen) return redirectTo(reply, '/signin?method=pin');
    const session = requirePinSession(request);
    const { changeId, proposedPin } = await proposePinChange(deps, pinSession(session));
    const needsCode = !session.requiredActions.includes('change_pin');
    return render(request, reply, (ctx) => pinConfirmBody(ctx, { changeId, proposedPin, needsCode }));
  });

  app.post('/area/pin/change/confirm', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    if (!request.citizen) return redirectTo(reply, '/signin?method=pin');
    const session = requirePinSession(request);
    const form = request.body as { changeId?: string; oldPin?: string; newPin?: string; verificationCode?: string; needsCode?: string };
    const view: PinConfirmView = { changeId: String(form.changeId ?? '').slice(0, 36), needsCode: form.needsCode === '1' };
    try {
      await confirmPinChange(deps, pinSession(session), { changeId: view.changeId, oldPin: String(form.oldPin ?? '').slice(0, 64),
        newPin: String(form.newPin ?? '').slice(0, 64), verificationCode: form.verificationCode?.slice(0, 12) }, requestMeta(request));
      return redirectTo(reply, '/area?pin=changed');
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      const title = problemFor(request, appError).title;
      const errors = appError.code === 'invalid_code' ? { code: title } : appError.code === 'invalid_credentials' ? { old: title }
        : appError.code === 'invalid_request' ? { new: title } : { form: title };
      return render(request, reply, (ctx) => pinConfirmBody(ctx, { ...view, errors }), appError.status);
    }
  });

  app.post('/area/pin/revoke', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    if (!request.citizen) return redirectTo(reply, '/signin');
    await revoke(deps, requirePinSession(request), request);
    return redirectTo(reply, '/area?pin=revoked');
  });
}
