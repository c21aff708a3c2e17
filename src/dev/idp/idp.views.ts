// Development only: the test IdP's pages (texts for testers, in Italian and English).
import { html, type Html } from '../../web/html.ts';
import { testIdentities } from './idp.identities.ts';

export function idpErrorBody(): Html {
  return html`<div class="alert alert-danger" role="alert">Richiesta SAML non valida o non firmata dal service provider. / Invalid or unsigned SAML request.</div>`;
}

const outcomeLabels: Array<[string, string]> = [
  ['ok', 'Autenticazione riuscita / Success'],
  ['wrong_level', 'Credenziali di livello insufficiente (nr20) / Wrong level'],
  ['disabled', 'Utente sospeso o revocato (nr23) / Disabled user'],
  ['too_many_attempts', 'Troppi tentativi errati (nr19) / Too many attempts'],
  ['timeout', 'Tempo scaduto (nr21) / Timeout'],
  ['denied_consent', 'Consenso negato (nr22) / Consent denied'],
];

export function chooserBody(view: { SAMLRequest: string; RelayState?: string; level: number; sp: string }): Html {
  return html`<p>IdP di prova per lo sviluppo: nessuna credenziale vera. Richiesta da <code>${view.sp}</code>, livello minimo SpidL${view.level}.</p>
  <form method="post" action="/dev/idp/answer">
    <input type="hidden" name="SAMLRequest" value="${view.SAMLRequest}">
    <input type="hidden" name="RelayState" value="${view.RelayState ?? ''}">
    <fieldset class="mb-3"><legend class="h6">Identità / Identity</legend>
      ${testIdentities.map((identity, i) => html`<div class="form-check">
        <input class="form-check-input" type="radio" name="identity" id="identity-${identity.key}" value="${identity.key}" ${i === 0 ? html`checked` : ''}>
        <label class="form-check-label" for="identity-${identity.key}">${identity.name} ${identity.familyName} (${identity.codiceFiscale})</label></div>`)}
    </fieldset>
    <div class="mb-3"><label class="form-label" for="level">Livello / Level</label>
      <select class="form-select" id="level" name="level">
        ${[1, 2, 3].map((level) => html`<option value="${level}" ${level === view.level ? html`selected` : ''}>SpidL${level}</option>`)}
      </select></div>
    <fieldset class="mb-3"><legend class="h6">Esito / Outcome</legend>
      ${outcomeLabels.map(([value, label], i) => html`<div class="form-check">
        <input class="form-check-input" type="radio" name="outcome" id="outcome-${value}" value="${value}" ${i === 0 ? html`checked` : ''}>
        <label class="form-check-label" for="outcome-${value}">${label}</label></div>`)}
    </fieldset>
    <button type="submit" class="btn btn-primary">Accedi / Sign in</button>
    <button type="submit" class="btn btn-outline-secondary" name="cancel" value="1">Annulla (nr25) / Cancel</button>
  </form>`;
}
