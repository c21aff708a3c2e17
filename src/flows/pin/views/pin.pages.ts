import { html, type Html } from '../../../web/html.ts';
import { alert, field } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';

export function pinIntroBody(ctx: PageContext, firstAccess: boolean): Html {
  return html`${firstAccess ? alert('info', ctx.t('pin.change.firstAccess')) : ''}
    <form method="post" action="/area/pin/change/propose">${csrfField(ctx)}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('pin.changeLink')}</button></form>`;
}

export interface PinConfirmView {
  changeId: string;
  proposedPin?: string;
  needsCode: boolean;
  errors?: { old?: string; new?: string; code?: string; form?: string };
}

export function pinConfirmBody(ctx: PageContext, view: PinConfirmView): Html {
  return html`${view.proposedPin ? html`<p>${ctx.t('pin.change.proposed')}</p>
      <p class="varco-secret border rounded p-3 text-center" aria-label="${ctx.t('pin.change.title')}">${view.proposedPin}</p>` : ''}
    ${view.needsCode ? alert('info', ctx.t('pin.change.codeSent')) : ''}
    ${view.errors?.form ? alert('danger', view.errors.form) : ''}
    <form method="post" action="/area/pin/change/confirm" novalidate>
      ${csrfField(ctx)}<input type="hidden" name="changeId" value="${view.changeId}">
      <input type="hidden" name="needsCode" value="${view.needsCode ? '1' : '0'}">
      ${field({ name: 'oldPin', label: ctx.t('pin.change.old'), type: 'password', autocomplete: 'current-password', maxLength: 64, error: view.errors?.old })}
      ${field({ name: 'newPin', label: ctx.t('pin.change.new'), type: 'password', autocomplete: 'new-password', maxLength: 64, error: view.errors?.new })}
      ${view.needsCode ? field({ name: 'verificationCode', label: ctx.t('pin.change.code'), autocomplete: 'one-time-code', maxLength: 6, error: view.errors?.code }) : ''}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('pin.change.submit')}</button>
    </form>`;
}

export function pinSection(ctx: PageContext, state: 'none' | 'initial' | 'active' | 'revoked'): Html {
  const usable = state === 'initial' || state === 'active';
  return html`<section aria-labelledby="pin-heading" class="mb-4">
    <h2 id="pin-heading" class="h4">${ctx.t('pin.section')}</h2>
    <p>${ctx.t(`pin.state.${state}`)}</p>
    ${usable ? html`<div class="d-flex flex-wrap gap-2">
      <a class="btn btn-outline-primary" href="/area/pin/change">${ctx.t('pin.changeLink')}</a>
      <form method="post" action="/area/pin/revoke" class="m-0">${csrfField(ctx)}
        <button type="submit" class="btn btn-outline-danger">${ctx.t('pin.revoke')}</button></form></div>` : ''}
  </section>`;
}
