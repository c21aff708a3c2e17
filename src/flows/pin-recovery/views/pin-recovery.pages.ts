import { html, type Html } from '../../../web/html.ts';
import { alert, field } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import { captchaField } from '../../captcha/captcha.field.ts';
import type { CaptchaChallenge } from '../../captcha/captcha.steps.ts';

export interface PinRecoveryStartView {
  values?: { codiceFiscale?: string; mobile?: string; email?: string; pec?: string };
  error?: string;
  fieldErrors?: { codiceFiscale?: string; captcha?: string };
  captcha: CaptchaChallenge | null;
}

export function pinRecoveryStartBody(ctx: PageContext, view: PinRecoveryStartView): Html {
  const v = view.values ?? {};
  return html`<p>${ctx.t('pinRecovery.intro')}</p>${alert('info', ctx.t('pinRecovery.app'))}
    ${view.error ? alert('danger', view.error) : ''}
    <form method="post" action="/recovery/pin" novalidate>
      ${csrfField(ctx)}
      ${field({ name: 'codiceFiscale', label: ctx.t('signIn.codiceFiscale'), value: v.codiceFiscale, error: view.fieldErrors?.codiceFiscale, autocomplete: 'username', maxLength: 40 })}
      ${field({ name: 'mobile', label: ctx.t('pinRecovery.mobile'), type: 'tel', value: v.mobile, required: false, autocomplete: 'tel', maxLength: 30 })}
      ${field({ name: 'email', label: ctx.t('pinRecovery.email'), type: 'email', value: v.email, required: false, autocomplete: 'email', maxLength: 254 })}
      ${field({ name: 'pec', label: ctx.t('pinRecovery.pec'), type: 'email', value: v.pec, required: false, maxLength: 254 })}
      ${captchaField(ctx, view.captcha, view.fieldErrors?.captcha)}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('pinRecovery.submit')}</button>
    </form>`;
}

export function pinRecoverySentBody(ctx: PageContext): Html {
  return html`${alert('info', ctx.t('pinRecovery.sent'))}<a class="btn btn-outline-primary" href="/recovery/pin/confirm">${ctx.t('pinRecovery.confirm.title')}</a>`;
}

export function pinRecoveryConfirmBody(ctx: PageContext, view: { codiceFiscale?: string; code?: string; error?: string; done?: boolean }): Html {
  if (view.done) return html`${alert('success', ctx.t('pinRecovery.confirmed'))}<a class="btn btn-primary" href="/signin?method=pin">${ctx.t('recovery.signIn')}</a>`;
  return html`${view.error ? alert('danger', view.error) : ''}
    <form method="post" action="/recovery/pin/confirm" novalidate>
      ${csrfField(ctx)}
      ${field({ name: 'codiceFiscale', label: ctx.t('signIn.codiceFiscale'), value: view.codiceFiscale, autocomplete: 'username', maxLength: 40 })}
      ${field({ name: 'recoveryCode', label: ctx.t('pinRecovery.code'), value: view.code, autocomplete: 'one-time-code', maxLength: 8 })}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('pinRecovery.confirm.submit')}</button>
    </form>`;
}
