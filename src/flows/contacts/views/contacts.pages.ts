// The contact change pages: the new value, then the code sent to it. No JavaScript, 360 px wide.
import { alert, errorSummary, field, type FormErrors } from '../../../web/forms.ts';
import { html, type Html } from '../../../web/html.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import type { OpenProof } from '../../profile-completion/verification-codes.ts';
import type { Contact } from '../contacts.repo.ts';
import { dateFormats } from '../../../domain/date-format.ts';

const timeFormat = dateFormats({ timeStyle: 'short', timeZone: 'Europe/Rome' });

export const contactPath = (contact: Contact) => `/area/contacts/${contact}`;
export const codePath = (contact: Contact) => `/area/contacts/${contact}/code`;

const inputs = {
  email: { type: 'email', autocomplete: 'email', maxLength: 254 },
  mobile: { type: 'tel', autocomplete: 'tel', maxLength: 30 },
  pec: { type: 'email', autocomplete: 'off', maxLength: 254 },
} as const;

export interface ContactFormView {
  contact: Contact;
  current: string | null;
  value?: string;
  errors?: FormErrors;
}

export function contactFormBody(ctx: PageContext, view: ContactFormView): Html {
  const { contact } = view;
  return html`${errorSummary(ctx, view.errors)}
    <p>${ctx.t(`contacts.${contact}.intro`)}</p>
    <p>${view.current ? ctx.t('contacts.current', { value: view.current }) : ctx.t('contacts.none')}</p>
    <form method="post" action="${contactPath(contact)}" novalidate>${csrfField(ctx)}
      ${field({ name: contact, label: ctx.t(`contacts.${contact}.label`), hint: ctx.t(`contacts.${contact}.hint`), value: view.value,
        error: view.errors?.[contact], ...inputs[contact] })}
      <button type="submit" class="btn btn-primary w-100 mb-3">${ctx.t('contacts.send')}</button>
    </form>
    <a href="/area">${ctx.t('contacts.back')}</a>`;
}

export interface CodeView {
  contact: Contact;
  pending: OpenProof;
  sentAgain?: boolean;
  errors?: FormErrors;
}

/** Until when the code works and how many tries it has left, as the one-time-secret module counts them (S7, S8). */
function codeStatus(ctx: PageContext, code: NonNullable<OpenProof['code']>): Html {
  const time = timeFormat(ctx.lang).format(code.expiresAt);
  return html`<p id="code-status">${ctx.t('contacts.code.status', { time, count: code.attemptsLeft })}</p>`;
}

export function codeBody(ctx: PageContext, view: CodeView): Html {
  const { contact, pending } = view;
  // Without a usable code there is no code field: what went wrong with it belongs to the page.
  const errors = !pending.code && view.errors?.code ? { ...view.errors, code: undefined, form: view.errors.code } : view.errors;
  return html`${view.sentAgain && !errors ? alert('success', ctx.t('contacts.code.sentAgain')) : ''}
    ${errorSummary(ctx, errors)}
    <p>${ctx.t('contacts.code.sentTo', { target: pending.target })}</p>
    ${pending.code ? codeStatus(ctx, pending.code) : errors?.form ? '' : alert('warning', ctx.t('contacts.code.unusable'))}
    ${pending.code ? html`<form method="post" action="${codePath(contact)}" novalidate>${csrfField(ctx)}
      ${field({ name: 'code', label: ctx.t('contacts.code.label'), hint: ctx.t('contacts.code.hint'), autocomplete: 'one-time-code', maxLength: 12,
        error: errors?.code })}
      <button type="submit" class="btn btn-primary w-100 mb-4">${ctx.t('contacts.code.confirm')}</button>
    </form>` : ''}
    <form method="post" action="${codePath(contact)}/resend" class="mb-4">${csrfField(ctx)}
      <p class="small" id="resend-hint">${ctx.t('contacts.code.resendHint')}</p>
      <button type="submit" class="btn btn-outline-primary w-100" aria-describedby="resend-hint">${ctx.t('contacts.code.resend')}</button>
    </form>
    <p><a href="${contactPath(contact)}">${ctx.t('contacts.code.other')}</a></p>
    <p><a href="/area">${ctx.t('contacts.back')}</a></p>`;
}
