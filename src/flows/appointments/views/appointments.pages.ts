import { html, type Html } from '../../../web/html.ts';
import { alert, errorSummary, field, type FormErrors } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import type { Office } from '../appointments.steps.ts';
import { dateFormats } from '../../../domain/date-format.ts';

const dayFormat = dateFormats({ dateStyle: 'full', timeZone: 'Europe/Rome' });
const timeFormat = dateFormats({ timeStyle: 'short', timeZone: 'Europe/Rome' });
const whenFormat = dateFormats({ dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Rome' });

const day = (ctx: PageContext, iso: string) =>
  dayFormat(ctx.lang).format(new Date(iso));
const hour = (ctx: PageContext, iso: string) =>
  timeFormat(ctx.lang).format(new Date(iso));
const time = (ctx: PageContext, iso: string) =>
  whenFormat(ctx.lang).format(new Date(iso));

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
      <input type="hidden" name="date" value="${chosen.date ?? ''}">
      <fieldset class="mb-3" id="field-slotStart" ${errors.slotStart ? html`aria-describedby="field-slotStart-error"` : ''}><legend>${ctx.t('appointments.slot')}</legend>
        ${errors.slotStart ? html`<div id="field-slotStart-error" class="invalid-feedback d-block">${errors.slotStart}</div>` : ''}${free.map((slot, i) => html`<div class="form-check">
        <input class="form-check-input" type="radio" name="slotStart" id="slot-${i}" value="${slot.start}" ${(values.slotStart ? values.slotStart === slot.start : i === 0) ? html`checked` : ''}>
        <label class="form-check-label" for="slot-${i}">${time(ctx, slot.start)}</label></div>`)}</fieldset>
      ${field({ name: 'codiceFiscale', label: ctx.t('signIn.codiceFiscale'), maxLength: 40, value: values.codiceFiscale, error: errors.codiceFiscale })}
      ${field({ name: 'email', label: ctx.t('appointments.email'), type: 'email', maxLength: 254, autocomplete: 'email', value: values.email, error: errors.email })}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('appointments.book')}</button></form>`}`;
}

function details(ctx: PageContext, appointment: { office: string; address: string; slotStart: string }): Html {
  return html`<dl><dt>${ctx.t('appointments.where')}</dt><dd>${appointment.office} · ${appointment.address}</dd>
    <dt>${ctx.t('appointments.day')}</dt><dd>${day(ctx, appointment.slotStart)}</dd>
    <dt>${ctx.t('appointments.hour')}</dt><dd>${hour(ctx, appointment.slotStart)}</dd></dl>`;
}

/** After booking: what, where and when, as the email says it too. */
export function bookedBody(ctx: PageContext, appointment: { office: string; address: string; slotStart: string }): Html {
  return html`${alert('success', ctx.t('appointments.booked'))}${details(ctx, appointment)}`;
}

export function manageBody(ctx: PageContext, appointment: { office: string; address: string; slotStart: string; status: string }, token: string): Html {
  if (appointment.status !== 'booked') return alert('info', ctx.t('appointments.cancelled'));
  return html`${details(ctx, appointment)}
    <p><a class="btn btn-outline-danger" href="/appointments/manage/${token}/cancel">${ctx.t('appointments.cancel')}</a></p>`;
}

/** Cancelling asks first: the appointment stays until the citizen confirms. */
export function cancelConfirmBody(ctx: PageContext, appointment: { office: string; address: string; slotStart: string; status: string }, token: string): Html {
  if (appointment.status !== 'booked') return alert('info', ctx.t('appointments.cancelled'));
  return html`${alert('warning', ctx.t('appointments.cancel.question'))}${details(ctx, appointment)}
    <form method="post" action="/appointments/manage/${token}/cancel" class="d-flex flex-wrap gap-3">${csrfField(ctx)}
      <button type="submit" class="btn btn-danger">${ctx.t('appointments.cancel.confirm')}</button>
      <a class="btn btn-outline-primary" href="/appointments/manage/${token}">${ctx.t('appointments.cancel.keep')}</a></form>`;
}
