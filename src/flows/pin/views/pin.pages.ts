// Pages of the citizen's PIN: first access / change (the proposed PIN shown once), the PIN
// section of the personal area, and the page after a revocation. No JavaScript; 360 px wide.
import { html, type Html } from '../../../web/html.ts';
import { alert, errorSummary, field, type FormErrors } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import { isUsablePin, type PinState } from '../pin.state.ts';

export function pinIntroBody(ctx: PageContext, view: { firstAccess: boolean; usable: boolean; error?: string }): Html {
  if (!view.usable) return html`${alert('info', ctx.t('pin.state.none'))}<a class="btn btn-primary w-100" href="/assistance">${ctx.t('pin.request')}</a>`;
  return html`${view.firstAccess ? alert('info', ctx.t('pin.change.firstAccess')) : ''}
    ${view.error ? alert('danger', view.error) : ''}
    <p>${ctx.t('pin.change.intro')}</p>
    ${view.firstAccess ? '' : html`<p>${ctx.t('pin.change.codeWillCome')}</p>`}
    <form method="post" action="/area/pin/change/propose">${csrfField(ctx)}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('pin.change.propose')}</button></form>`;
}

export interface PinConfirmView {
  changeId: string;
  proposedPin?: string;
  needsCode: boolean;
  /** By field name (oldPin, newPin, verificationCode); `form` for the rest. */
  errors?: FormErrors;
  /** The proposal is gone: only a new one can follow. */
  expired?: boolean;
}

/** The proposed PIN, large and in a monospace face so that look-alikes cannot confuse. */
function proposedPinPanel(ctx: PageContext, pin: string): Html {
  return html`<div class="border rounded p-3 mb-4 text-center">
    <p class="mb-2" id="proposed-pin-label">${ctx.t('pin.change.proposedLabel')}</p>
    <p class="varco-secret font-monospace fs-1 fw-bold text-break mb-2" aria-labelledby="proposed-pin-label">${pin}</p>
    <p class="mb-0 small">${ctx.t('pin.change.writeDown')}</p>
  </div>`;
}

export function pinConfirmBody(ctx: PageContext, view: PinConfirmView): Html {
  const errors = view.errors ?? {};
  if (view.expired) {
    return html`${alert('danger', errors.form ?? '')}<a class="btn btn-primary w-100" href="/area/pin/change">${ctx.t('pin.change.again')}</a>`;
  }
  return html`${view.proposedPin ? proposedPinPanel(ctx, view.proposedPin) : ''}
    ${view.needsCode ? alert('info', ctx.t('pin.change.codeSent')) : ''}
    ${errorSummary(ctx, errors)}
    <form method="post" action="/area/pin/change/confirm" novalidate>
      ${csrfField(ctx)}<input type="hidden" name="changeId" value="${view.changeId}">
      <input type="hidden" name="needsCode" value="${view.needsCode ? '1' : '0'}">
      ${field({ name: 'oldPin', label: ctx.t('pin.change.old'), type: 'password', autocomplete: 'current-password', maxLength: 64, error: errors.oldPin })}
      ${field({ name: 'newPin', label: ctx.t('pin.change.new'), type: 'password', autocomplete: 'new-password', maxLength: 64,
        hint: ctx.t('pin.change.new.hint'), error: errors.newPin })}
      ${view.needsCode ? field({ name: 'verificationCode', label: ctx.t('pin.change.code'), autocomplete: 'one-time-code', maxLength: 6,
        hint: ctx.t('pin.change.code.hint'), error: errors.verificationCode }) : ''}
      <button type="submit" class="btn btn-primary w-100 mb-3">${ctx.t('pin.change.submit')}</button>
    </form>
    <p><a href="/area/pin/change">${ctx.t('pin.change.again')}</a></p>`;
}

/** The PIN section of the personal area: its state and what the citizen can do with it. */
export function pinSection(ctx: PageContext, state: PinState): Html {
  return html`<section aria-labelledby="pin-heading" class="mb-4">
    <h2 id="pin-heading" class="h4">${ctx.t('pin.section')}</h2>
    <p>${ctx.t(`pin.state.${state}`)}</p>
    ${isUsablePin(state)
      ? html`<div class="d-flex flex-wrap gap-2">
          <a class="btn btn-outline-primary" href="/area/pin/change">${ctx.t('pin.changeLink')}</a>
          <form method="post" action="/area/pin/revoke" class="m-0">${csrfField(ctx)}
            <button type="submit" class="btn btn-outline-danger">${ctx.t('pin.revoke')}</button></form>
        </div>
        <p class="small mt-2">${ctx.t('pin.revoke.hint')}</p>`
      : html`<a class="btn btn-outline-primary" href="/assistance">${ctx.t('pin.request')}</a>`}
  </section>`;
}

export function pinRevokedBody(ctx: PageContext): Html {
  return html`${alert('success', ctx.t('pin.revoked'))}
    <p>${ctx.t('pin.revoked.next')}</p>
    <a class="btn btn-primary w-100 mb-3" href="/signin">${ctx.t('recovery.signIn')}</a>
    <a class="btn btn-outline-primary w-100" href="/assistance">${ctx.t('pin.request')}</a>`;
}
