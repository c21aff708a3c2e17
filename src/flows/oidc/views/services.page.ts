// "Servizi autorizzati": what each service may read, since when, and a revoke button.
import { html, type Html } from '../../../web/html.ts';
import { alert } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import { scopeList } from './oidc.pages.ts';
import { pageDateTime } from '../../../web/dates.ts';

export interface ServiceView {
  clientId: string;
  name: string;
  scopes: string[];
  grantedAt: Date;
}

export function servicesBody(ctx: PageContext, services: ServiceView[], revoked: boolean): Html {
  const list = services.map((service) => html`<li class="border-bottom py-3">
      <h2 class="h5">${service.name}</h2>
      <p class="mb-1"><small>${ctx.t('oidc.services.since', { date: pageDateTime(ctx, service.grantedAt) })}</small></p>
      ${scopeList(ctx, service.scopes)}
      <form method="post" action="/area/services/${encodeURIComponent(service.clientId)}/revoke">
        ${csrfField(ctx)}
        <button type="submit" class="btn btn-outline-danger w-100" aria-label="${ctx.t('oidc.services.revoke')}: ${service.name}">${ctx.t('oidc.services.revoke')}</button>
      </form>
    </li>`);
  return html`${revoked ? alert('success', ctx.t('oidc.services.revoked')) : ''}
    <p>${ctx.t('oidc.services.intro')}</p>
    ${services.length === 0 ? html`<p>${ctx.t('oidc.services.none')}</p>` : html`<ul class="list-unstyled">${list}</ul>`}
    <a class="btn btn-outline-primary w-100" href="/area">${ctx.t('oidc.services.back')}</a>`;
}
