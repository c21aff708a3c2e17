// The citizen's file at the desk and the search that finds it.
import { html, type Html } from '../../../web/html.ts';
import { alert } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import type { CitizenFile } from '../citizen-file.steps.ts';
import { dateFormats } from '../../../domain/date-format.ts';

const dayFormat = dateFormats({ day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Rome' });

/** Dates as an Italian operator reads them on a document: 01/12/2026. */
export function italianDate(iso: string | null): string {
  if (!iso) return '—';
  const date = iso.length === 10 ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return dayFormat('it-IT').format(date);
}

export function searchForm(ctx: PageContext, value = ''): Html {
  return html`<form method="get" action="/desk/citizens" class="mb-4" role="search">
    <div class="form-group mb-3"><label for="field-search" class="active">${ctx.t('desk.search.label')}</label>
      <input id="field-search" name="codiceFiscale" type="search" class="form-control" maxlength="40" value="${value}" autocomplete="off"></div>
    <button type="submit" class="btn btn-outline-primary">${ctx.t('desk.search.submit')}</button></form>`;
}

export function registryList(ctx: PageContext, file: CitizenFile): Html {
  const row = (label: string, value: string | null) => html`<dt>${label}</dt><dd class="text-break">${value ?? '—'}</dd>`;
  return html`<dl class="varco-registry">
    ${row(ctx.t('desk.citizen.name'), `${file.firstName} ${file.lastName}`)}
    ${row(ctx.t('signIn.codiceFiscale'), file.codiceFiscale)}
    ${row(ctx.t('desk.citizen.birthDate'), italianDate(file.birthDate))}
    ${row(ctx.t('desk.citizen.placeCode'), file.placeCode)}
    ${row(ctx.t('desk.citizen.email'), file.email)}
    ${row(ctx.t('desk.citizen.mobile'), file.mobile)}
    ${row('PEC', file.pec)}</dl>`;
}

export function historyList(ctx: PageContext, file: CitizenFile): Html {
  if (file.history.length === 0) return html`<p>${ctx.t('desk.history.empty')}</p>`;
  return html`<ul class="list-unstyled">${file.history.map((entry) => html`<li class="border-bottom py-2">
    <a href="/desk/requests/${entry.id}">${italianDate(entry.createdAt)} · ${ctx.t(`assistance.category.${entry.category as 'other'}`)}</a>
    · ${ctx.t(`desk.status.${entry.status as 'confirmed'}`)}</li>`)}</ul>`;
}

export function failedMessagesList(ctx: PageContext, file: CitizenFile): Html {
  if (file.failedMessages.length === 0) return html`<p>${ctx.t('desk.messages.none')}</p>`;
  return html`<ul class="list-unstyled">${file.failedMessages.map((message) => html`<li class="border-bottom py-2">
    <strong>${ctx.t(`desk.messageKind.${message.kind as 'credential_changed'}`)}</strong> · ${message.channel} · ${message.recipient} · ${italianDate(message.createdAt)}<br>
    <small>${message.reason ?? ''}</small>
    ${message.resendable
      ? html`<form method="post" action="/desk/citizens/${file.codiceFiscale}/messages/${message.id}/resend" class="mt-2">${csrfField(ctx)}
          <button type="submit" class="btn btn-sm btn-outline-primary">${ctx.t('desk.messages.resend')}</button></form>`
      : html`<p class="small mb-0">${ctx.t('desk.messages.erased')}</p>`}</li>`)}</ul>`;
}

export function citizenFileBody(ctx: PageContext, file: CitizenFile, notice?: string): Html {
  return html`${notice ? alert('success', notice) : ''}${registryList(ctx, file)}
    <h2 class="h4 mt-4">${ctx.t('desk.history.title')}</h2>${historyList(ctx, file)}
    <h2 class="h4 mt-4">${ctx.t('desk.messages.title')}</h2>${failedMessagesList(ctx, file)}
    <p class="mt-4"><a href="/desk">${ctx.t('desk.backToQueue')}</a></p>`;
}

export function citizenSearchBody(ctx: PageContext, query: string, problem?: string): Html {
  return html`${problem ? alert('warning', problem) : ''}${searchForm(ctx, query)}<p><a href="/desk">${ctx.t('desk.backToQueue')}</a></p>`;
}
