// Varco's own pages inside the OpenID Connect journey: consent, the way back to the
// service, sign-out confirmation and the error page. No JavaScript; they fit 360 px.
import { html, Html } from '../../../web/html.ts';
import { alert } from '../../../web/forms.ts';
import { csrfField, layout, type PageContext } from '../../../web/layout.ts';
import type { MessageKey } from '../../../web/i18n/index.ts';
import type { OidcPages } from '../oidc.runtime.ts';

const scopeTexts: Record<string, MessageKey> = {
  openid: 'oidc.scope.openid',
  profile: 'oidc.scope.profile',
  email: 'oidc.scope.email',
  phone: 'oidc.scope.phone',
  offline_access: 'oidc.scope.offline_access',
};

export function scopeList(ctx: PageContext, scopes: string[]): Html {
  const items = scopes.filter((scope) => scope in scopeTexts).map((scope) => html`<li>${ctx.t(scopeTexts[scope] as MessageKey)}</li>`);
  return html`<ul class="mb-3">${items}</ul>`;
}

export function consentBody(ctx: PageContext, view: { uid: string; client: string; scopes: string[] }): Html {
  return html`<p>${ctx.t('oidc.consent.intro', { client: view.client })}</p>
    ${scopeList(ctx, view.scopes)}
    <p class="form-text">${ctx.t('oidc.consent.remembered')}</p>
    <form method="post" action="/oidc/interaction/${view.uid}/confirm" class="mb-2">
      ${csrfField(ctx)}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('oidc.consent.allow')}</button>
    </form>
    <form method="post" action="/oidc/interaction/${view.uid}/abort">
      ${csrfField(ctx)}
      <button type="submit" class="btn btn-outline-primary w-100">${ctx.t('oidc.consent.deny')}</button>
    </form>`;
}

/** The provider's own form (its hidden anti-forgery field) with Varco's buttons. */
export function logoutBody(ctx: PageContext, view: { client: string; providerForm: string }): Html {
  return html`<p>${ctx.t('oidc.logout.question', { client: view.client })}</p>
    ${new Html(view.providerForm)}
    <button type="submit" form="op.logoutForm" value="yes" name="logout" class="btn btn-primary w-100 mb-2">${ctx.t('oidc.logout.yes')}</button>
    <button type="submit" form="op.logoutForm" class="btn btn-outline-primary w-100">${ctx.t('oidc.logout.no')}</button>`;
}

export function loggedOutBody(ctx: PageContext): Html {
  return html`${alert('info', ctx.t('oidc.loggedOut.text'))}
    <a class="btn btn-primary w-100" href="/signin">${ctx.t('common.home')}</a>`;
}

export function oidcErrorBody(ctx: PageContext, view: { expired: boolean; code: string }): Html {
  return html`${alert('danger', ctx.t(view.expired ? 'oidc.error.expired' : 'oidc.error.text'))}
    <p class="form-text">${ctx.t('oidc.error.code')}: <code>${view.code}</code></p>
    <a class="btn btn-outline-primary w-100" href="/">${ctx.t('common.home')}</a>`;
}

export function continueBody(ctx: PageContext, view: { location: string; client: string }): Html {
  return html`<p>${ctx.t('oidc.continue.text', { client: view.client })}</p>
    <a class="btn btn-primary w-100" href="${view.location}">${ctx.t('oidc.continue.link')}</a>`;
}

/** The pages the provider itself renders (logout, logged out, errors), bound to one request. */
export function providerPages(ctx: PageContext): OidcPages {
  return {
    logout: (view) => layout(ctx, { title: ctx.t('oidc.logout.title'), body: logoutBody(ctx, view) }),
    loggedOut: () => layout(ctx, { title: ctx.t('oidc.loggedOut.title'), body: loggedOutBody(ctx) }),
    error: (view) => layout(ctx, { title: ctx.t('oidc.error.title'), body: oidcErrorBody(ctx, view) }),
  };
}
