// "Revoca il PIN e ricevine uno nuovo" after a SPID / CIE sign-in, and its outcome pages.
import { html, type Html } from '../../../web/html.ts';
import { alert } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import type { PinRenewal } from '../pin-renewal.steps.ts';

export function pinRenewalBody(ctx: PageContext, verdict: PinRenewal, error?: string): Html {
  if (verdict !== 'allowed') {
    return html`${alert('warning', ctx.t(`federation.pinRenewal.${verdict}`))}
      <p><a class="btn btn-outline-primary" href="${verdict === 'needs_federated_sign_in' ? '/recovery/pin' : '/area'}">${ctx.t('federation.pinRenewal.back')}</a></p>`;
  }
  return html`${error ? alert('danger', error) : ''}<p>${ctx.t('federation.pinRenewal.intro')}</p>
    <form method="post" action="/area/pin/renew">${csrfField(ctx)}
      <button type="submit" class="btn btn-primary">${ctx.t('federation.pinRenewal.submit')}</button>
    </form>`;
}

export function pinRenewedBody(ctx: PageContext): Html {
  return html`${alert('success', ctx.t('federation.pinRenewal.done'))}
    <p><a class="btn btn-primary" href="/signin?method=pin">${ctx.t('federation.logout.signIn')}</a></p>`;
}
