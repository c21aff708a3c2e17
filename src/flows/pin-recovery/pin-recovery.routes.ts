// API (shared/API.md "PIN": /api/v1/recovery/pin and /confirm) and pages of "Hai smarrito il
// tuo PIN?". Pages: start → sent; the emailed link /recovery/pin/confirm/<code> pre-fills
// confirm → confirmed; /recovery/pin/not-possible explains what to do with an initial PIN.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { html, type Html } from '../../web/html.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import type { PageContext } from '../../web/layout.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { fieldErrors, formBody, formRoute } from '../../web/form-route.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { captchaFromForm } from '../captcha/captcha.field.ts';
import { issueCaptcha } from '../captcha/captcha.steps.ts';
import type { FlowDeps } from '../deps.ts';
import { federationChoices } from '../federation/federation.routes.ts';
import { pinRenewalButtons } from '../federation/views/buttons.ts';
import { confirmPinRecovery, startPinRecovery } from './pin-recovery.steps.ts';
import {
  pinRecoveryConfirmBody, pinRecoveryConfirmedBody, pinRecoveryNotPossibleBody, pinRecoverySentBody, pinRecoveryStartBody,
  type PinRecoveryConfirmView, type PinRecoveryStartView,
} from './views/pin-recovery.pages.ts';

const Accepted = Type.Object({ status: Type.Literal('accepted') });
const accepted = { status: 'accepted' as const };
const Contact = Type.Optional(Type.String({ maxLength: 254 }));
const Cf = Type.String({ maxLength: 40 });
const StartBody = Type.Object({ codiceFiscale: Cf, mobile: Contact, email: Contact, pec: Contact, captcha: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false });
const SecurityAnswer = Type.Optional(Type.String({ maxLength: 200, description: 'the answer to the security question, when the account has one' }));
const ConfirmBody = Type.Object({ codiceFiscale: Cf, recoveryCode: Type.String({ maxLength: 12 }), securityAnswer: SecurityAnswer }, { additionalProperties: false });
const StartForm = formBody({ codiceFiscale: Cf, mobile: Contact, email: Contact, pec: Contact,
  captchaChallenge: Type.Optional(Type.String({ maxLength: 100 })), captchaAnswer: Type.Optional(Type.String({ maxLength: 20 })) });
const ConfirmForm = formBody({ codiceFiscale: Cf, recoveryCode: Type.String({ maxLength: 12 }), securityAnswer: SecurityAnswer });
const CodeParams = Type.Object({ code: Type.String() });

export async function pinRecoveryApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/recovery/pin', { schema: { tags: ['pin'], body: StartBody, response: { 202: Accepted } } }, async (request, reply) => {
    await startPinRecovery(deps, request.body, requestMeta(request));
    return reply.status(202).send(accepted);
  });

  app.post('/api/v1/recovery/pin/confirm', { schema: { tags: ['pin'], body: ConfirmBody, response: { 202: Accepted } } }, async (request, reply) => {
    await confirmPinRecovery(deps, request.body, requestMeta(request));
    return reply.status(202).send(accepted);
  });
}

const optionalContact = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

export async function pinRecoveryPageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const render = (request: FastifyRequest, reply: FastifyReply, title: MessageKey, body: (ctx: PageContext) => Html, status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t(title), body: body(ctx) }, status);
  };
  const renderStart = async (request: FastifyRequest, reply: FastifyReply, view: Omit<PinRecoveryStartView, 'captcha'>, status = 200) => {
    const captcha = deps.config.captcha ? await issueCaptcha(deps, request.lang) : null;
    // The other way: SPID (level 2 at least) or CIE, then a new PIN straight away (src/flows/federation).
    return render(request, reply, 'pinRecovery.title',
      (ctx) => html`${pinRecoveryStartBody(ctx, { ...view, captcha })}${pinRenewalButtons(ctx, federationChoices(request))}`, status);
  };
  const renderConfirm = (request: FastifyRequest, reply: FastifyReply, view: PinRecoveryConfirmView, status = 200) =>
    render(request, reply, 'pinRecovery.confirm.title', (ctx) => pinRecoveryConfirmBody(ctx, view), status);

  app.get('/recovery/pin', { schema: { hide: true } }, (request, reply) => renderStart(request, reply, {}));

  formRoute(app, '/recovery/pin', {
    body: StartForm,
    secrets: ['captchaChallenge', 'captchaAnswer'],
    fields: { invalid_codice_fiscale: 'codiceFiscale', invalid_captcha: 'captchaAnswer', two_contacts_required: 'contacts' },
    run: async (request, reply) => {
      const form = request.body;
      const issues: { field: string; text: string }[] = [];
      if (!(form.codiceFiscale ?? '').trim()) issues.push({ field: 'codiceFiscale', text: request.t('pinRecovery.error.codiceFiscale') });
      if ([form.mobile, form.email, form.pec].filter((contact) => optionalContact(contact)).length < 2) {
        issues.push({ field: 'contacts', text: request.t('pinRecovery.error.contacts') });
      }
      const refused = fieldErrors(issues);
      if (refused) throw refused;
      await startPinRecovery(deps, { codiceFiscale: form.codiceFiscale, mobile: optionalContact(form.mobile), email: optionalContact(form.email),
        pec: optionalContact(form.pec), captcha: captchaFromForm(form) }, requestMeta(request));
      return redirectTo(reply, '/recovery/pin/sent');
    },
    render: (request, reply, { values, errors, status }) => renderStart(request, reply, { values, errors }, status),
  });

  app.get('/recovery/pin/sent', { schema: { hide: true } }, (request, reply) => render(request, reply, 'pinRecovery.sent.title', pinRecoverySentBody));

  app.get('/recovery/pin/not-possible', { schema: { hide: true } }, (request, reply) =>
    render(request, reply, 'pinRecovery.notPossible.title', pinRecoveryNotPossibleBody));

  app.get('/recovery/pin/confirm', { schema: { hide: true } }, (request, reply) => renderConfirm(request, reply, {}));

  // The emailed link: S26, the code stays in this one page (no-referrer, no-store, masked in
  // the logs) and only pre-fills the form; nothing is spent until the citizen confirms (S25).
  app.get('/recovery/pin/confirm/:code', { schema: { hide: true, params: CodeParams } }, (request, reply) => {
    const { code } = request.params;
    return renderConfirm(request, reply, /^\d{8}$/.test(code) ? { code } : {});
  });

  formRoute(app, '/recovery/pin/confirm', {
    body: ConfirmForm,
    secrets: ['recoveryCode', 'securityAnswer'],
    fields: { invalid_codice_fiscale: 'codiceFiscale' },
    run: async (request, reply) => {
      await confirmPinRecovery(deps, { codiceFiscale: request.body.codiceFiscale, recoveryCode: request.body.recoveryCode.trim(),
        ...(request.body.securityAnswer ? { securityAnswer: request.body.securityAnswer } : {}) }, requestMeta(request));
      return redirectTo(reply, '/recovery/pin/confirmed');
    },
    render: (request, reply, { values, errors, status }) => renderConfirm(request, reply, { codiceFiscale: values.codiceFiscale, errors }, status),
  });

  app.get('/recovery/pin/confirmed', { schema: { hide: true } }, (request, reply) =>
    render(request, reply, 'pinRecovery.confirmed.title', pinRecoveryConfirmedBody));
}
