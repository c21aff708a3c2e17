// "Entra con SPID" and "Entra con CIE" as AgID's button conventions describe them: one
// button opening the provider list (shuffled at every rendering, so no provider is
// favoured), each provider a plain link with its logo and name. A <details> disclosure
// works with keyboard and screen readers and without JavaScript; the list wraps at 360 px.
import { randomInt } from 'node:crypto';
import { html, type Html } from '../../../web/html.ts';
import type { PageContext } from '../../../web/layout.ts';
import type { IdentityProvider } from '../idp-registry.ts';

export interface FederationChoices {
  spid: readonly IdentityProvider[];
  cie: boolean;
}

export interface ButtonOptions {
  next?: string | undefined;
  purpose?: 'recovery' | 'pin' | undefined;
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function loginHref(kind: 'spid' | 'cie', options: ButtonOptions, idp?: string): string {
  const query = new URLSearchParams();
  if (idp) query.set('idp', idp);
  if (kind === 'spid') query.set('level', '2');
  if (options.next) query.set('next', options.next);
  if (options.purpose) query.set('purpose', options.purpose);
  const search = query.toString();
  return `/auth/${kind}/login${search ? `?${search}` : ''}`;
}

function spidButton(ctx: PageContext, providers: readonly IdentityProvider[], options: ButtonOptions): Html {
  return html`<details class="varco-spid mb-3">
    <summary class="btn btn-primary w-100">${ctx.t('federation.spid.button')}</summary>
    <nav aria-label="${ctx.t('federation.spid.choose')}">
      <ul class="varco-spid-list list-unstyled border rounded p-2 mt-2 mb-2">
        ${shuffled(providers).map((provider) => html`<li class="py-1">
          <a href="${loginHref('spid', options, provider.entityId)}" class="d-flex align-items-center gap-2">
            ${provider.logo ? html`<img src="${provider.logo}" alt="" width="24" height="24">` : ''}<span>${provider.name}</span>
          </a></li>`)}
      </ul>
      <p class="small mb-0"><a href="https://www.spid.gov.it">${ctx.t('federation.spid.more')}</a> ·
        <a href="https://www.spid.gov.it/cos-e-spid/come-attivare-spid/">${ctx.t('federation.spid.none')}</a></p>
    </nav>
  </details>`;
}

function cieButton(ctx: PageContext, options: ButtonOptions): Html {
  return html`<p class="mb-3"><a class="btn btn-outline-primary w-100" href="${loginHref('cie', options)}">${ctx.t('federation.cie.button')}</a>
    <small class="form-text d-block">${ctx.t('federation.cie.hint')}</small></p>`;
}

export function federationButtons(ctx: PageContext, choices: FederationChoices | null, options: ButtonOptions = {}): Html {
  if (!choices || (choices.spid.length === 0 && !choices.cie)) return html``;
  return html`<section class="varco-federation mt-4" aria-label="SPID / CIE">
    ${choices.spid.length > 0 ? spidButton(ctx, choices.spid, options) : ''}
    ${choices.cie ? cieButton(ctx, options) : ''}
  </section>`;
}

/** "Password dimenticata": the third way, through SPID (level 2 at least) or CIE. */
export function recoveryButtons(ctx: PageContext, choices: FederationChoices | null): Html {
  if (!choices || (choices.spid.length === 0 && !choices.cie)) return html``;
  return html`<p class="mt-4 mb-2">${ctx.t('federation.recovery.intro')}</p>${federationButtons(ctx, choices, { purpose: 'recovery' })}`;
}

/** "Hai smarrito il tuo PIN?": revoke it and get a new one through SPID (level 2 at least) or CIE. */
export function pinRenewalButtons(ctx: PageContext, choices: FederationChoices | null): Html {
  if (!choices || (choices.spid.length === 0 && !choices.cie)) return html``;
  return html`<p class="mt-4 mb-2">${ctx.t('federation.pinRenewal.recovery')}</p>${federationButtons(ctx, choices, { purpose: 'pin' })}`;
}
