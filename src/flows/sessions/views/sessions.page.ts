// "Accessi attivi": one card a session (device, place, sign-in, last use), the current one
// marked and first; a form to end each other one and one to end them all. No JavaScript.
import { html, type Html } from '../../../web/html.ts';
import { alert } from '../../../web/forms.ts';
import { isMessageKey } from '../../../web/i18n/index.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import { deviceInWords, placeInWords } from '../device-words.ts';
import type { SessionView } from '../sessions.steps.ts';
import { pageDateTime } from '../../../web/dates.ts';

export type SessionsNotice = 'ended' | 'others';

function methodWords(ctx: PageContext, method: string): string {
  const key = `sessions.method.${method}`;
  return isMessageKey(key) ? ctx.t(key) : method;
}

function sessionCard(ctx: PageContext, session: SessionView): Html {
  const device = deviceInWords(session.device, ctx.lang);
  return html`<li class="border-bottom py-3" data-session="${session.id}">
    <h2 class="h5 mb-1">${device}${session.current ? html` <span class="badge bg-primary">${ctx.t('sessions.current')}</span>` : ''}</h2>
    <p class="mb-1">${ctx.t('sessions.place', { place: placeInWords(session.place, ctx.lang) })}</p>
    <p class="mb-1"><small>${ctx.t('sessions.signedIn', { date: pageDateTime(ctx, session.signedInAt), method: methodWords(ctx, session.method) })}</small></p>
    <p class="mb-2"><small>${ctx.t('sessions.lastUsed', { date: pageDateTime(ctx, session.lastUsedAt) })}</small></p>
    ${session.current ? '' : html`<form method="post" action="/area/sessions/${session.id}/end" class="m-0">${csrfField(ctx)}
      <button type="submit" class="btn btn-outline-danger w-100" aria-label="${ctx.t('sessions.end')}: ${device}">${ctx.t('sessions.end')}</button></form>`}
  </li>`;
}

export function sessionsBody(ctx: PageContext, sessions: SessionView[], notice?: SessionsNotice): Html {
  const others = sessions.filter((session) => !session.current).length;
  return html`${notice === 'ended' ? alert('success', ctx.t('sessions.ended')) : notice === 'others' ? alert('success', ctx.t('sessions.endedOthers')) : ''}
    <p>${ctx.t('sessions.intro')}</p>
    <ul class="list-unstyled">${sessions.map((session) => sessionCard(ctx, session))}</ul>
    ${others > 0
      ? html`<form method="post" action="/area/sessions/end-others" class="mb-3">${csrfField(ctx)}
          <button type="submit" class="btn btn-danger w-100">${ctx.t('sessions.endOthers')}</button></form>`
      : html`<p>${ctx.t('sessions.onlyThis')}</p>`}
    <a class="btn btn-outline-primary w-100" href="/area">${ctx.t('sessions.back')}</a>`;
}
