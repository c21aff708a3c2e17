// "This wasn't me": the confirmation page behind a notice's link, the page after it, and the
// page of a link that no longer works. Each leads to recovery or the desk.
import { html, type Html } from '../../../web/html.ts';
import { alert } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';

function ways(ctx: PageContext): Html {
  return html`<a class="btn btn-primary w-100 mb-3" href="/recovery/password">${ctx.t('notices.done.password')}</a>
    <a class="btn btn-outline-primary w-100 mb-3" href="/recovery/pin">${ctx.t('notices.done.pin')}</a>
    <a class="btn btn-outline-primary w-100 mb-3" href="/assistance">${ctx.t('notices.done.desk')}</a>`;
}

export function confirmBody(ctx: PageContext, token: string): Html {
  return html`<p>${ctx.t('notices.notMe.intro')}</p>
    <p>${ctx.t('notices.notMe.what')}</p>
    <form method="post" action="/wasnt-me/${token}" class="mb-3">${csrfField(ctx)}
      <button type="submit" class="btn btn-danger w-100">${ctx.t('notices.notMe.confirm')}</button></form>`;
}

export function doneBody(ctx: PageContext): Html {
  return html`${alert('success', ctx.t('notices.done.text'))}${ways(ctx)}<p class="small">${ctx.t('notices.done.advice')}</p>`;
}

export function linkProblemBody(ctx: PageContext): Html {
  return html`<p>${ctx.t('notices.link.text')}</p>${ways(ctx)}`;
}
