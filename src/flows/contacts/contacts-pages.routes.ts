// The contact change pages of the personal area, one set per contact: /area/contacts/<contact>
// takes the new value and sends the code to it, /area/contacts/<contact>/code takes the code
// (or sends a new one). They run the API's steps; pending required actions block them (S23,
// the citizen pages scope) and every form carries its CSRF token (S24, the pages scope).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppError } from '../../domain/errors.ts';
import { fieldError, formBody, formRoute, isTypingError, type FormErrors, type TypedApp } from '../../web/form-route.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { requireCitizen } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import type { Contact } from './contacts.repo.ts';
import { confirmContactChange, contactKinds, pendingContactChange, requestContactChange, resendContactCode } from './contacts.steps.ts';
import { codeBody, codePath, contactFormBody, contactPath } from './views/contacts.pages.ts';

const maxLengths: Record<Contact, number> = { email: 254, mobile: 30, pec: 254 };
const CodeForm = formBody({ code: Type.String({ maxLength: 12 }) });
const CodeQuery = Type.Object({ sent: Type.Optional(Type.String({ maxLength: 10 })) });

/** A wrong code says how many tries are left; a spent, expired or replaced one asks for a new one. */
function codeMessage(request: FastifyRequest, error: AppError): string | undefined {
  if (error.code !== 'invalid_code') return undefined;
  const left = Number(error.extras.attemptsLeft ?? 0);
  return left > 0 ? request.t('contacts.code.wrong', { count: left }) : request.t('contacts.code.unusable');
}

function contactPages(app: TypedApp, deps: FlowDeps, contact: Contact): void {
  const ValueForm = formBody({ [contact]: Type.String({ maxLength: maxLengths[contact] }) });

  const renderForm = (request: FastifyRequest, reply: FastifyReply, view: { value?: string; errors?: FormErrors }, status = 200) => {
    const ctx = pageContext(request, reply);
    const current = requireCitizen(request).account[contact];
    return sendPage(reply, ctx, { title: ctx.t(`contacts.${contact}.title`), body: contactFormBody(ctx, { contact, current, ...view }) }, status);
  };
  // The code page shows what is waiting; with nothing waiting the citizen starts from the form.
  const renderCode = async (request: FastifyRequest, reply: FastifyReply, view: { sentAgain?: boolean; errors?: FormErrors }, status = 200) => {
    const pending = await pendingContactChange(deps, requireCitizen(request).account, contact);
    if (!pending) return redirectTo(reply, contactPath(contact));
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('contacts.code.title'), body: codeBody(ctx, { contact, pending, ...view }) }, status);
  };

  app.get(contactPath(contact), { schema: { hide: true } }, async (request, reply) => renderForm(request, reply, {}));

  formRoute(app, contactPath(contact), {
    body: ValueForm,
    // The steps' own refusal of the value, in the page's words; the route's own checks carry theirs.
    message: (request, error) => (error.code === 'invalid_request' && !isTypingError(error) ? request.t(`contacts.${contact}.invalid`) : undefined),
    run: async (request, reply) => {
      const value = (request.body[contact] ?? '').trim();
      if (!value) throw fieldError(contact, request.t('contacts.required'));
      const awaiting = await requestContactChange(deps, requireCitizen(request).account, { [contact]: value });
      if (awaiting.length === 0) throw fieldError(contact, request.t('contacts.same'));
      return redirectTo(reply, codePath(contact));
    },
    render: (request, reply, { values, errors, status }) => renderForm(request, reply, { value: values[contact], errors }, status),
  });

  app.get(codePath(contact), { schema: { hide: true, querystring: CodeQuery } }, async (request, reply) =>
    renderCode(request, reply, { sentAgain: request.query.sent === 'again' }));

  formRoute(app, codePath(contact), {
    body: CodeForm,
    secrets: ['code'],
    fields: { invalid_code: 'code' },
    message: codeMessage,
    run: async (request, reply) => {
      await confirmContactChange(deps, requireCitizen(request).account, { contact, code: request.body.code.trim() }, requestMeta(request));
      return redirectTo(reply, `/area?contact=${contact}`);
    },
    render: (request, reply, { errors, status }) => renderCode(request, reply, { errors }, status),
  });

  formRoute(app, `${codePath(contact)}/resend`, {
    body: formBody({}),
    run: async (request, reply) => {
      const sent = await resendContactCode(deps, requireCitizen(request).account, contact);
      return redirectTo(reply, sent ? `${codePath(contact)}?sent=again` : contactPath(contact));
    },
    render: (request, reply, { errors, status }) => renderCode(request, reply, { errors }, status),
  });
}

export async function contactsPageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  for (const contact of contactKinds) contactPages(app, deps, contact);
}
