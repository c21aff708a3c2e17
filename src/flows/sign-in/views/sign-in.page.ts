import { html, type Html } from '../../../web/html.ts';
import { alert, field } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';

export const signInMethods = ['password', 'pin', 'spid', 'cie'] as const;
export type SignInMethod = (typeof signInMethods)[number];

export interface SignInView {
  method: SignInMethod;
  /** The login flow this page belongs to (carries where to go afterwards); absent for a bare sign-in. */
  flowId?: string | null;
  codiceFiscale?: string;
  error?: string;
  /** The account is temporarily locked: the error comes with the ways out. */
  locked?: boolean;
  fieldErrors?: { codiceFiscale?: string };
  notice?: string;
  /** "Entra con SPID" / "Entra con CIE" (src/flows/federation/views/buttons.ts). */
  federation?: Html;
}

function tabHref(method: SignInMethod, flowId: string | null | undefined): string {
  return flowId ? `/signin?method=${method}&flow=${encodeURIComponent(flowId)}` : `/signin?method=${method}`;
}

function tabs(ctx: PageContext, current: SignInMethod, flowId: string | null | undefined): Html {
  return html`<ul class="varco-tabs" aria-label="${ctx.t('signIn.methods')}">
    ${signInMethods.filter((m) => m === 'password' || m === 'pin').map(
      (method) => html`<li><a href="${tabHref(method, flowId)}" ${method === current ? html`aria-current="page"` : ''}>${ctx.t(`signIn.tab.${method}`)}</a></li>`,
    )}
  </ul>`;
}

function credentialForm(ctx: PageContext, view: SignInView): Html {
  const isPin = view.method === 'pin';
  return html`<form method="post" action="/signin" novalidate>
    ${csrfField(ctx)}
    <input type="hidden" name="method" value="${view.method}">
    ${view.flowId ? html`<input type="hidden" name="flow" value="${view.flowId}">` : ''}
    ${field({ name: 'codiceFiscale', label: ctx.t('signIn.codiceFiscale'), value: view.codiceFiscale,
      hint: ctx.t('signIn.codiceFiscale.hint'), error: view.fieldErrors?.codiceFiscale, autocomplete: 'username', maxLength: 40 })}
    ${isPin
      ? field({ name: 'pin', label: ctx.t('signIn.pin'), type: 'password', hint: ctx.t('signIn.pin.hint'), autocomplete: 'current-password', maxLength: 64 })
      : field({ name: 'password', label: ctx.t('signIn.password'), type: 'password', autocomplete: 'current-password', maxLength: 256 })}
    <button type="submit" class="btn btn-primary w-100 mb-3">${ctx.t('signIn.submit')}</button>
    <p class="mb-1">${isPin
      ? html`<a href="/recovery/pin">${ctx.t('signIn.lostPin')}</a>`
      : html`<a href="/recovery/password">${ctx.t('signIn.forgotPassword')}</a>`}</p>
  </form>`;
}

export function signInBody(ctx: PageContext, view: SignInView): Html {
  const federated = view.method === 'spid' || view.method === 'cie';
  return html`<p>${ctx.t('signIn.intro')}</p>
    ${tabs(ctx, view.method, view.flowId)}
    ${view.notice ? alert('info', view.notice) : ''}
    ${view.error ? alert('danger', view.locked ? html`${view.error}<ul class="mb-0 mt-2"><li><a href="/recovery/password">${ctx.t('signIn.locked.recovery')}</a></li>
      <li><a href="/assistance">${ctx.t('signIn.locked.desk')}</a></li></ul>` : view.error) : ''}
    ${federated ? '' : credentialForm(ctx, view)}
    ${view.federation ?? ''}`;
}
