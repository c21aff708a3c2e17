// Pages of "Hai smarrito il tuo PIN?": one column, no JavaScript, every field labelled.
import { html, type Html } from '../../../web/html.ts';
import { alert, errorSummary, field, type FormErrors } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import { captchaField } from '../../captcha/captcha.field.ts';
import type { CaptchaChallenge } from '../../captcha/captcha.steps.ts';
import { securityAnswerField } from '../../profile-completion/views/security-answer-field.ts';

export interface PinRecoveryStartView {
  values?: { codiceFiscale?: string; mobile?: string; email?: string; pec?: string };
  /** By field name (codiceFiscale, contacts, captchaAnswer); `form` for the rest. */
  errors?: FormErrors;
  captcha: CaptchaChallenge | null;
}

function contactsFieldset(ctx: PageContext, view: PinRecoveryStartView): Html {
  const v = view.values ?? {};
  const error = view.errors?.contacts;
  return html`<fieldset id="field-contacts" class="mb-3" aria-describedby="field-contacts-hint${error ? ' field-contacts-error' : ''}">
    <legend class="h6">${ctx.t('pinRecovery.contacts')}</legend>
    <p id="field-contacts-hint" class="form-text">${ctx.t('pinRecovery.contacts.hint')}</p>
    ${error ? html`<div id="field-contacts-error" class="invalid-feedback d-block mb-3" role="alert">${error}</div>` : ''}
    ${field({ name: 'mobile', label: ctx.t('pinRecovery.mobile'), type: 'tel', value: v.mobile, required: false, autocomplete: 'tel', maxLength: 30 })}
    ${field({ name: 'email', label: ctx.t('pinRecovery.email'), type: 'email', value: v.email, required: false, autocomplete: 'email', maxLength: 254 })}
    ${field({ name: 'pec', label: ctx.t('pinRecovery.pec'), type: 'email', value: v.pec, required: false, maxLength: 254 })}
  </fieldset>`;
}

export function pinRecoveryStartBody(ctx: PageContext, view: PinRecoveryStartView): Html {
  const v = view.values ?? {};
  return html`<p>${ctx.t('pinRecovery.intro')}</p>
    ${alert('info', ctx.t('pinRecovery.app'))}
    ${errorSummary(ctx, view.errors)}
    <form method="post" action="/recovery/pin" novalidate>
      ${csrfField(ctx)}
      ${field({ name: 'codiceFiscale', label: ctx.t('signIn.codiceFiscale'), value: v.codiceFiscale, hint: ctx.t('signIn.codiceFiscale.hint'),
        error: view.errors?.codiceFiscale, autocomplete: 'username', maxLength: 40 })}
      ${contactsFieldset(ctx, view)}
      ${captchaField(ctx, view.captcha, view.errors?.captchaAnswer)}
      <button type="submit" class="btn btn-primary w-100 mb-3">${ctx.t('pinRecovery.submit')}</button>
    </form>
    <p class="mb-1"><a href="/recovery/pin/confirm">${ctx.t('pinRecovery.haveCode')}</a></p>
    <p><a href="/recovery/pin/not-possible">${ctx.t('pinRecovery.initialPin')}</a></p>`;
}

export function pinRecoverySentBody(ctx: PageContext): Html {
  return html`${alert('info', ctx.t('pinRecovery.sent'))}
    <p>${ctx.t('pinRecovery.sent.next')}</p>
    <a class="btn btn-primary w-100" href="/recovery/pin/confirm">${ctx.t('pinRecovery.confirm.title')}</a>`;
}

export function pinRecoveryNotPossibleBody(ctx: PageContext): Html {
  return html`<p>${ctx.t('pinRecovery.notPossible.why')}</p>
    <ol>
      <li class="mb-2">${ctx.t('pinRecovery.notPossible.revoke')}</li>
      <li class="mb-2">${ctx.t('pinRecovery.notPossible.request')}</li>
    </ol>
    <a class="btn btn-primary w-100 mb-3" href="/assistance">${ctx.t('pinRecovery.notPossible.assistance')}</a>
    <a class="btn btn-outline-primary w-100" href="/signin?method=password">${ctx.t('pinRecovery.notPossible.signIn')}</a>`;
}

export interface PinRecoveryConfirmView {
  codiceFiscale?: string;
  code?: string;
  /** By field name (codiceFiscale, recoveryCode); `form` for the rest. */
  errors?: FormErrors;
}

export function pinRecoveryConfirmBody(ctx: PageContext, view: PinRecoveryConfirmView): Html {
  return html`<p>${ctx.t('pinRecovery.confirm.intro')}</p>
    ${errorSummary(ctx, view.errors)}
    <form method="post" action="/recovery/pin/confirm" novalidate>
      ${csrfField(ctx)}
      ${field({ name: 'codiceFiscale', label: ctx.t('signIn.codiceFiscale'), value: view.codiceFiscale, error: view.errors?.codiceFiscale,
        autocomplete: 'username', maxLength: 40 })}
      ${field({ name: 'recoveryCode', label: ctx.t('pinRecovery.code'), value: view.code, hint: ctx.t('pinRecovery.code.hint'),
        autocomplete: 'one-time-code', maxLength: 8, error: view.errors?.recoveryCode })}
      ${securityAnswerField(ctx, { optional: true, error: view.errors?.securityAnswer })}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('pinRecovery.confirm.submit')}</button>
    </form>`;
}

export function pinRecoveryConfirmedBody(ctx: PageContext): Html {
  return html`${alert('success', ctx.t('pinRecovery.confirmed'))}
    <p>${ctx.t('pinRecovery.confirmed.next')}</p>
    <a class="btn btn-primary w-100" href="/signin?method=pin">${ctx.t('pinRecovery.signIn')}</a>`;
}
