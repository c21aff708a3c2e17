import { html, type Html } from '../../../web/html.ts';
import { alert, errorSummary, field, type FormErrors } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import type { Office } from '../appointments.steps.ts';

const time = (ctx: PageContext, iso: string) =>
  new Intl.DateTimeFormat(ctx.lang, { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Rome' }).format(new Date(iso));

export interface BookingForm {
  errors?: FormErrors;
  values?: Record<string, string | undefined>;
}

export function chooseBody(ctx: PageContext, offices: Office[], chosen: { officeId?: string; date?: string }, slots: { start: string; free: boolean }[] | null, form: BookingForm = {}): Html {
  const { errors = {}, values = {} } = form;
  const free = (slots ?? []).filter((slot) => slot.free);
  return html`<p>${ctx.t('appointments.intro')}</p>${errorSummary(ctx, errors)}
    <form method="get" action="/appointments" class="mb-4">
      <div class="form-group mb-3"><label for="field-office" class="active">${ctx.t('appointments.office')}</label>
        <select id="field-office" name="office" class="form-select">${offices.map((office) =>
          html`<option value="${office.id}" ${office.id === chosen.officeId ? html`selected` : ''}>${office.name} · ${office.address}</option>`)}</select></div>
      <div class="form-group mb-3"><label for="field-date" class="active">${ctx.t('appointments.date')}</label>
        <input id="field-date" name="date" type="date" class="form-control" value="${chosen.date ?? ''}" required></div>
      <button type="submit" class="btn btn-outline-primary">${ctx.t('appointments.showSlots')}</button></form>
    ${slots === null ? '' : free.length === 0 ? html`<p>${ctx.t('appointments.noSlots')}</p>` : html`
    <form method="post" action="/appointments" novalidate>${csrfField(ctx)}<input type="hidden" name="officeId" value="${chosen.officeId ?? ''}">
      <fieldset class="mb-3" id="field-slotStart"><legend class="h6">${ctx.t('appointments.slot')}</legend>${free.map((slot, i) => html`<div class="form-check">
        <input class="form-check-input" type="radio" name="slotStart" id="slot-${i}" value="${slot.start}" ${i === 0 ? html`checked` : ''}>
        <label class="form-check-label" for="slot-${i}">${time(ctx, slot.start)}</label></div>`)}</fieldset>
      ${field({ name: 'codiceFiscale', label: ctx.t('signIn.codiceFiscale'), maxLength: 40, value: values.codiceFiscale, error: errors.codiceFiscale })}
      ${field({ name: 'email', label: ctx.t('appointments.email'), type: 'email', maxLength: 254, autocomplete: 'email', value: values.email, error: errors.email })}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('appointments.book')}</button></form>`}`;
}

export function manageBody(ctx: PageContext, appointment: { office: string; address: string; slotStart: string; status: string }, token: string): Html {
  if (appointment.status !== 'booked') return alert('info', ctx.t('appointments.cancelled'));
  return html`<dl><dt>${ctx.t('appointments.when')}</dt><dd>${time(ctx, appointment.slotStart)}</dd>
      <dt>${ctx.t('appointments.where')}</dt><dd>${appointment.office} · ${appointment.address}</dd></dl>
    <form method="post" action="/appointments/manage/${token}/cancel">${csrfField(ctx)}
      <button type="submit" class="btn btn-outline-danger">${ctx.t('appointments.cancel')}</button></form>`;
}
