// The pages of a SPID/CIE sign-in: the HTTP-POST hand-over, the landing after the ACS,
// the refusal (with the official SPID anomaly text) and "no account yet".
import { html, type Html } from '../../../web/html.ts';
import { alert } from '../../../web/forms.ts';
import type { PageContext } from '../../../web/layout.ts';
import type { PostBinding } from '../login.steps.ts';
import type { AnomalyCode } from '../rejection.ts';
import type { FederationKind } from '../sp-profile.ts';

const script = html`<script src="/static/federation/autosubmit.js" defer></script>`;

export function postBindingBody(
  ctx: PageContext, binding: PostBinding, field: 'SAMLRequest' | 'SAMLResponse' = 'SAMLRequest', intro: string = ctx.t('federation.redirect.intro'),
): Html {
  return html`<p>${intro}</p>
    <form method="post" action="${binding.action}" data-autosubmit>
      <input type="hidden" name="${field}" value="${binding.samlRequest}">
      <input type="hidden" name="RelayState" value="${binding.relayState}">
      <button type="submit" class="btn btn-primary">${ctx.t('federation.redirect.submit')}</button>
    </form>${script}`;
}

export function signedInBody(ctx: PageContext, kind: FederationKind, next: string): Html {
  return html`<p>${ctx.t('federation.done.intro', { method: ctx.t(`federation.method.${kind}`) })}</p>
    <p><a class="btn btn-primary" href="${next}" data-autofollow>${ctx.t('federation.done.continue')}</a></p>${script}`;
}

/** The way back to the sign-in page, inside the login flow when there is one (its `next` survives). */
const retryHref = (flowId: string | null) => (flowId ? `/signin?flow=${flowId}` : '/signin');

export function rejectedBody(ctx: PageContext, anomaly: AnomalyCode | null, flowId: string | null = null): Html {
  return html`${alert('danger', anomaly ? ctx.t(`federation.anomaly.${anomaly}`) : ctx.t('federation.rejected.generic'))}
    <p><a class="btn btn-outline-primary" href="${retryHref(flowId)}">${ctx.t('federation.rejected.retry')}</a></p>`;
}

export function unknownAccountBody(ctx: PageContext): Html {
  return html`<p>${ctx.t('federation.unknown.text')}</p>
    <p><a class="btn btn-primary" href="/assistance">${ctx.t('federation.unknown.assistance')}</a></p>`;
}

export function signedOutBody(ctx: PageContext): Html {
  return html`${alert('success', ctx.t('federation.logout.done'))}
    <p><a class="btn btn-primary" href="/signin">${ctx.t('federation.logout.signIn')}</a></p>`;
}
