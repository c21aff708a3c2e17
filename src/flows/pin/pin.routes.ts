// The citizen's PIN (shared/API.md "PIN"): first access, change and revocation, API and pages.
// S23: these endpoints also serve a session whose only pending action is change_pin.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formBody, formRoute } from '../../web/form-route.ts';
import type { Html } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { clearSessionCookie, requireCitizen, type CitizenSession } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { resumeAfterRequiredAction } from '../sign-in/sign-in.routes.ts';
import { confirmPinChange, proposePinChange, type PinChangeConfirmation, type PinSession } from './pin-change.steps.ts';
import { revokePin } from './pin-issue.steps.ts';
import { isUsablePin } from './pin.state.ts';
import { pinConfirmBody, pinIntroBody, pinRevokedBody, type PinConfirmView } from './views/pin.pages.ts';
import { noContent } from '../../web/openapi.ts';

const PinField = Type.String({ minLength: 1, maxLength: 64 });
const ChangeBody = Type.Object({ oldPin: PinField, newPin: PinField, verificationCode: Type.Optional(Type.String({ maxLength: 12 })) },
  { additionalProperties: false });
const ChangeParams = Type.Object({ changeId: Type.String({ format: 'uuid', maxLength: 36 }) });
const Proposal = Type.Object({ changeId: Type.String(), proposedPin: Type.String() });
const ConfirmForm = formBody({
  changeId: Type.String({ maxLength: 36 }), needsCode: Type.Optional(Type.String({ maxLength: 1 })),
  oldPin: Type.String({ maxLength: 64 }), newPin: Type.String({ maxLength: 64 }), verificationCode: Type.Optional(Type.String({ maxLength: 12 })),
});
// S23: the citizen scope lets these through while change_pin is the pending action (PIN first access).
const resolvesPin = { resolvesAction: 'change_pin', signInPath: '/signin?method=pin' } as const;

const pinSession = (session: CitizenSession): PinSession => ({ accountId: session.account.id, idHash: session.idHash, authMethod: session.authMethod });

/** A session opened with the PIN ends with it; one opened otherwise carries on. Returns whether it ended. */
async function revokeOwnPin(deps: FlowDeps, session: CitizenSession, request: FastifyRequest): Promise<boolean> {
  const endsSession = session.authMethod === 'pin';
  const { account } = session;
  await deps.db.transaction((tx) =>
    revokePin(tx, deps, account, requestMeta(request), `citizen:${account.codice_fiscale}`, endsSession ? undefined : session.idHash));
  return endsSession;
}

export async function pinApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/me/pin/change', { schema: { tags: ['pin'], response: { 200: Proposal } }, config: resolvesPin }, async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    return proposePinChange(deps, pinSession(requireCitizen(request)));
  });

  app.post('/api/v1/me/pin/change/:changeId', { schema: { tags: ['pin'], params: ChangeParams, body: ChangeBody, response: { 204: noContent } }, config: resolvesPin }, async (request, reply) => {
    const session = requireCitizen(request);
    await confirmPinChange(deps, pinSession(session), { ...request.body, changeId: request.params.changeId }, requestMeta(request));
    // First access resumes the sign-in; any change is a privilege change: a new session id either way (S19).
    await resumeAfterRequiredAction(deps, request, reply);
    return reply.status(204).send();
  });

  app.post('/api/v1/me/pin/revoke', { schema: { tags: ['pin'], response: { 204: noContent } }, config: resolvesPin }, async (request, reply) => {
    if (await revokeOwnPin(deps, requireCitizen(request), request)) clearSessionCookie(reply, deps.config);
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

function confirmMessage(request: FastifyRequest, error: { code: string; extras: Record<string, unknown> }): string | undefined {
  if (error.code === 'invalid_code') return request.t('pin.change.attemptsLeft', { count: Number(error.extras.attemptsLeft ?? 0) });
  if (error.code === 'invalid_request') return request.t('pin.change.notProposed');
  return undefined;
}

/** Pages of the citizen scope: a session is there, and no other action is pending first. */
export async function pinPageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const render = (request: FastifyRequest, reply: FastifyReply, body: (ctx: PageContext) => Html, status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('pin.change.title'), body: body(ctx) }, status);
  };
  const intro = (request: FastifyRequest, reply: FastifyReply, error?: string, status = 200) => {
    const session = requireCitizen(request);
    return render(request, reply, (ctx) => pinIntroBody(ctx, {
      firstAccess: session.requiredActions.includes('change_pin'), usable: isUsablePin(session.account.pin_state), error,
    }), status);
  };

  app.get('/area/pin/change', { schema: { hide: true }, config: resolvesPin }, async (request, reply) => intro(request, reply));

  // A POST, not a GET: a proposal is a new row (S25); the page is the one place the PIN shows.
  formRoute(app, '/area/pin/change/propose', {
    body: formBody({}),
    config: resolvesPin,
    run: async (request, reply) => {
      const session = requireCitizen(request);
      const { changeId, proposedPin } = await proposePinChange(deps, pinSession(session));
      const needsCode = !session.requiredActions.includes('change_pin');
      return render(request, reply, (ctx) => pinConfirmBody(ctx, { changeId, proposedPin, needsCode }));
    },
    render: (request, reply, { errors, status }) => intro(request, reply, Object.values(errors).find(Boolean), status),
  });

  formRoute(app, '/area/pin/change/confirm', {
    body: ConfirmForm,
    config: resolvesPin,
    secrets: ['oldPin', 'newPin', 'verificationCode'],
    fields: { invalid_code: 'verificationCode', invalid_credentials: 'oldPin', invalid_request: 'newPin' },
    message: confirmMessage,
    run: async (request, reply) => {
      const session = requireCitizen(request);
      await confirmPinChange(deps, pinSession(session), confirmationFrom(request.body), requestMeta(request));
      // PIN first access was a step of the sign-in: the journey goes on where it was headed. Any
      // change is a privilege change: the session goes on under a new id (S19).
      return redirectTo(reply, await resumeAfterRequiredAction(deps, request, reply, '/area?pin=changed'));
    },
    render: (request, reply, { values, errors, status, error }) => {
      const view: PinConfirmView = { changeId: confirmationFrom({ oldPin: '', newPin: '', changeId: values.changeId ?? '' }).changeId,
        needsCode: values.needsCode === '1', errors, expired: error.code === 'flow_expired' };
      return render(request, reply, (ctx) => pinConfirmBody(ctx, view), status);
    },
  });

  app.post('/area/pin/revoke', { schema: { hide: true, body: formBody({}) }, config: { ...resolvesPin, signInPath: '/signin' } }, async (request, reply) => {
    if (!(await revokeOwnPin(deps, requireCitizen(request), request))) return redirectTo(reply, '/area?pin=revoked');
    clearSessionCookie(reply, deps.config);
    return redirectTo(reply, '/pin/revoked');
  });
}

/** After a revocation that ended the session: a public page. */
export async function pinPublicPageRoutes(app: FastifyInstance): Promise<void> {
  app.get('/pin/revoked', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('pin.revoked.title'), body: pinRevokedBody(ctx) });
  });
}
