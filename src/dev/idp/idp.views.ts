// Development only: the test IdP's pages, their texts from the catalogues (idp.messages.ts).
import { html, type Html } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { outcomes, testIdentities, type Outcome } from './idp.identities.ts';

export function idpErrorBody(ctx: PageContext): Html {
  return html`<div class="alert alert-danger" role="alert">${ctx.t('devIdp.invalid')}</div>`;
}

const failureOutcomes = (Object.keys(outcomes) as Outcome[]).filter((outcome) => outcome !== 'cancelled');

export function chooserBody(ctx: PageContext, view: { SAMLRequest: string; RelayState?: string; level: number; sp: string }): Html {
  return html`<p>${ctx.t('devIdp.intro', { sp: view.sp, level: String(view.level) })}</p>
  <form method="post" action="/dev/idp/answer">
    <input type="hidden" name="SAMLRequest" value="${view.SAMLRequest}">
    <input type="hidden" name="RelayState" value="${view.RelayState ?? ''}">
    <fieldset class="mb-3"><legend class="h6">${ctx.t('devIdp.identity')}</legend>
      ${testIdentities.map((identity, i) => html`<div class="form-check">
        <input class="form-check-input" type="radio" name="identity" id="identity-${identity.key}" value="${identity.key}" ${i === 0 ? html`checked` : ''}>
        <label class="form-check-label" for="identity-${identity.key}">${identity.name} ${identity.familyName} (${identity.codiceFiscale})</label></div>`)}
    </fieldset>
    <div class="mb-3"><label class="form-label" for="level">${ctx.t('devIdp.level')}</label>
      <select class="form-select" id="level" name="level">
        ${[1, 2, 3].map((level) => html`<option value="${level}" ${level === view.level ? html`selected` : ''}>SpidL${level}</option>`)}
      </select></div>
    <fieldset class="mb-3"><legend class="h6">${ctx.t('devIdp.outcome')}</legend>
      ${failureOutcomes.map((value, i) => html`<div class="form-check">
        <input class="form-check-input" type="radio" name="outcome" id="outcome-${value}" value="${value}" ${i === 0 ? html`checked` : ''}>
        <label class="form-check-label" for="outcome-${value}">${ctx.t(`devIdp.outcome.${value}`)}</label></div>`)}
    </fieldset>
    <button type="submit" class="btn btn-primary">${ctx.t('devIdp.submit')}</button>
    <button type="submit" class="btn btn-outline-secondary" name="cancel" value="1">${ctx.t('devIdp.cancel')}</button>
  </form>`;
}

export function loggedOutBody(ctx: PageContext): Html {
  return html`<div class="alert alert-success" role="status">${ctx.t('devIdp.logout.done')}</div>`;
}

/** IdP-initiated logout: one button per subject vouched for in this process. */
export function logoutChooserBody(ctx: PageContext, subjects: ReadonlyArray<{ nameId: string; spEntityId: string }>): Html {
  return html`<p>${ctx.t('devIdp.logout.intro')}</p>
    ${subjects.map((subject) => html`<form method="post" action="/dev/idp/logout" class="mb-2">
      <input type="hidden" name="nameId" value="${subject.nameId}">
      <button type="submit" class="btn btn-outline-primary">${ctx.t('devIdp.logout.submit')}</button> <code>${subject.spEntityId}</code>
    </form>`)}`;
}
