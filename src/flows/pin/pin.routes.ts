// The citizen's PIN (shared/API.md "PIN"): first access, change and revocation, API and pages.
// S23: these endpoints also serve a session whose only pending action is change_pin.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import type { Html } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { problemFor, toAppError } from '../../web/problem.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { clearSessionCookie, requireCitizen, type CitizenSession } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { resumeAfterRequiredAction } from '../sign-in/sign-in.routes.ts';
import { confirmPinChange, proposePinChange, type PinChangeConfirmation, type PinSession } from './pin-change.steps.ts';
import { revokePin } from './pin-issue.steps.ts';
import { isUsablePin } from './pin.state.ts';
import { pinConfirmBody, pinIntroBody, pinRevokedBody, type PinConfirmView } from './views/pin.pages.ts';

const PinField = Type.String({ minLength: 1, maxLength: 64 });
const ChangeBody = Type.Object({ oldPin: PinField, newPin: PinField, verificationCode: Type.Optional(Type.String({ maxLength: 12 })) },
  { additionalProperties: false });
const ChangeParams = Type.Object({ changeId: Type.String({ format: 'uuid', maxLength: 36 }) });
const Proposal = Type.Object({ changeId: Type.String(), proposedPin: Type.String() });
const Csrf = Type.String({ maxLength: 200 });
const CsrfOnlyForm = Type.Object({ _csrf: Csrf }, { additionalProperties: false });
const ConfirmForm = Type.Object({
  _csrf: Csrf, changeId: Type.String({ maxLength: 36 }), needsCode: Type.Optional(Type.String({ maxLength: 1 })),
  oldPin: Type.String({ maxLength: 64 }), newPin: Type.String({ maxLength: 64 }), verificationCode: Type.Optional(Type.String({ maxLength: 12 })),
}, { additionalProperties: false });

/** PIN endpoints serve a session whose only pending action is change_pin (S23). */
function requirePinSession(request: FastifyRequest): CitizenSession {
  const session = requireCitizen(request);
  if (session.requiredActions.some((action) => action !== 'change_pin')) {
    throw new AppError('action_required', { requiredActions: session.requiredActions });
  }
  return session;
}

const pinSession = (session: CitizenSession): PinSession => ({ accountId: session.account.id, idHash: session.idHash, authMethod: session.authMethod });

/** A session opened with the PIN ends with it; one opened otherwise carries on. Returns whether it ended. */
async function revokeOwnPin(deps: FlowDeps, session: CitizenSession, request: FastifyRequest): Promise<boolean> {
  const endsSession = session.authMethod === 'pin';
  const { account } = session;
  await deps.db.transaction((tx) =>
    revokePin(tx, deps, account, requestMeta(request), `citizen:${account.codice_fiscale}`, endsSession ? undefined : session.idHash));
  return endsSession;
}

export async function pinApiRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  app.post('/api/v1/me/pin/change', { schema: { tags: ['pin'], response: { 200: Proposal } } }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    return proposePinChange(deps, pinSession(requirePinSession(request)));
  });

  app.post('/api/v1/me/pin/change/:changeId', { schema: { tags: ['pin'], params: ChangeParams, body: ChangeBody } }, async (request, reply) => {
    const session = requirePinSession(request);
    const { changeId } = request.params as { changeId: string };
    await confirmPinChange(deps, pinSession(session), { ...(request.body as Omit<PinChangeConfirmation, 'changeId'>), changeId }, requestMeta(request));
    if (session.requiredActions.includes('change_pin')) await resumeAfterRequiredAction(deps, request, reply);
    return reply.status(204).send();
  });

  app.post('/api/v1/me/pin/revoke', { schema: { tags: ['pin'] } }, async (request, reply) => {
    if (await revokeOwnPin(deps, requirePinSession(request), request)) clearSessionCookie(reply, deps.config);
    return reply.status(204).send();
  });
}

interface ConfirmFields { changeId: string; oldPin: string; newPin: string; verificationCode?: string; needsCode?: string }

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function confirmationFrom(form: ConfirmFields): PinChangeConfirmation {
  return {
    changeId: uuidPattern.test(form.changeId) ? form.changeId : '00000000-0000-0000-0000-000000000000',
    oldPin: form.oldPin.trim(),
    newPin: form.newPin.trim(),
    ...(form.verificationCode === undefined ? {} : { verificationCode: form.verificationCode.trim() }),
  };
}

function confirmErrors(request: FastifyRequest, error: AppError): PinConfirmView['errors'] {
  const title = problemFor(request, error).title;
  if (error.code === 'invalid_code') return { code: request.t('pin.change.attemptsLeft', { count: Number(error.extras.attemptsLeft ?? 0) }) };
  if (error.code === 'invalid_credentials') return { old: title };
  if (error.code === 'invalid_request') return { new: request.t('pin.change.notProposed') };
  if (error.code === 'account_locked') return { form: request.t('signIn.locked', { minutes: Math.max(1, Math.ceil(Number(error.extras.retryAfter ?? 0) / 60)) }) };
  return { form: title, expired: error.code === 'flow_expired' };
}

export async function pinPageRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  const render = (request: FastifyRequest, reply: FastifyReply, body: (ctx: PageContext) => Html, status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('pin.change.title'), body: body(ctx) }, status);
  };
  const intro = (request: FastifyRequest, reply: FastifyReply, session: CitizenSession, error?: string, status = 200) =>
    render(request, reply, (ctx) => pinIntroBody(ctx, {
      firstAccess: session.requiredActions.includes('change_pin'), usable: isUsablePin(session.account.pin_state), error,
    }), status);

  app.get('/area/pin/change', { schema: { hide: true } }, async (request, reply) => {
    if (!request.citizen) return redirectTo(reply, '/signin?method=pin');
    return intro(request, reply, requirePinSession(request));
  });

  // A POST, not a GET: a proposal is a new row (S25); the page is the one place the PIN shows.
  app.post('/area/pin/change/propose', { schema: { hide: true, body: CsrfOnlyForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    if (!request.citizen) return redirectTo(reply, '/signin?method=pin');
    const session = requirePinSession(request);
    try {
      const { changeId, proposedPin } = await proposePinChange(deps, pinSession(session));
      const needsCode = !session.requiredActions.includes('change_pin');
      return render(request, reply, (ctx) => pinConfirmBody(ctx, { changeId, proposedPin, needsCode }));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      return intro(request, reply, session, problemFor(request, appError).title, appError.status);
    }
  });

  app.post('/area/pin/change/confirm', { schema: { hide: true, body: ConfirmForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    if (!request.citizen) return redirectTo(reply, '/signin?method=pin');
    const session = requirePinSession(request);
    const form = request.body as ConfirmFields;
    const confirmation = confirmationFrom(form);
    try {
      await confirmPinChange(deps, pinSession(session), confirmation, requestMeta(request));
      if (!session.requiredActions.includes('change_pin')) return redirectTo(reply, '/area?pin=changed');
      // PIN first access was a step of the sign-in: the journey goes on where it was headed.
      return redirectTo(reply, await resumeAfterRequiredAction(deps, request, reply, '/area?pin=changed'));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      const view: PinConfirmView = { changeId: confirmation.changeId, needsCode: form.needsCode === '1', errors: confirmErrors(request, appError) };
      return render(request, reply, (ctx) => pinConfirmBody(ctx, view), appError.status);
    }
  });

  app.post('/area/pin/revoke', { schema: { hide: true, body: CsrfOnlyForm }, preValidation: app.csrfProtection }, async (request, reply) => {
    if (!request.citizen) return redirectTo(reply, '/signin');
    if (!(await revokeOwnPin(deps, requirePinSession(request), request))) return redirectTo(reply, '/area?pin=revoked');
    clearSessionCookie(reply, deps.config);
    return redirectTo(reply, '/pin/revoked');
  });

  app.get('/pin/revoked', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('pin.revoked.title'), body: pinRevokedBody(ctx) });
  });
}
