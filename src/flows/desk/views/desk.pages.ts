import { html, type Html } from '../../../web/html.ts';
import { alert, errorSummary, field, textArea, type FormErrors } from '../../../web/forms.ts';

export interface DeskForm {
  values?: Record<string, string | undefined>;
  errors?: FormErrors;
}
import { csrfField, type PageContext } from '../../../web/layout.ts';
import type { QueueEntry } from '../desk.steps.ts';
import type { CitizenFile } from '../citizen-file.steps.ts';
import { failedMessagesList, historyList, italianDate, registryList, searchForm } from './citizen-file.pages.ts';

export function operatorSignInBody(ctx: PageContext, form: DeskForm = {}): Html {
  return html`${errorSummary(ctx, form.errors)}
    <form method="post" action="/desk/signin" novalidate>${csrfField(ctx)}
      ${field({ name: 'codiceFiscale', label: ctx.t('signIn.codiceFiscale'), autocomplete: 'username', maxLength: 40,
        value: form.values?.codiceFiscale, error: form.errors?.codiceFiscale })}
      ${field({ name: 'password', label: ctx.t('desk.password'), type: 'password', autocomplete: 'current-password', maxLength: 256 })}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('signIn.submit')}</button></form>`;
}

export function queueBody(ctx: PageContext, entries: QueueEntry[], today: string, notice?: string): Html {
  const rows = entries.map((entry) => html`<li class="border-bottom py-2">
    <a href="/desk/requests/${entry.id}">${entry.codiceFiscale} · ${ctx.t(`assistance.category.${entry.category as 'other'}`)}</a><br>
    <small>${ctx.t('desk.queue.due')}: ${italianDate(entry.dueBy)}
      ${entry.dueBy && entry.dueBy < today ? html` <span class="badge bg-danger">${ctx.t('desk.queue.overdue')}</span>` : ''}</small></li>`);
  return html`${notice ? alert('success', notice) : ''}${searchForm(ctx)}
    ${entries.length === 0 ? html`<p>${ctx.t('desk.queue.empty')}</p>` : html`<ul class="list-unstyled">${rows}</ul>`}`;
}

export function requestBody(ctx: PageContext, entry: QueueEntry, form: DeskForm = {}, file: CitizenFile | null = null): Html {
  const values = form.values ?? {};
  const errors = form.errors ?? {};
  const outcome = (value: string) => html`<div class="form-check">
    <input class="form-check-input" type="radio" name="outcome" id="outcome-${value}" value="${value}" ${values.outcome === value ? html`checked` : ''}>
    <label class="form-check-label" for="outcome-${value}">${ctx.t(`desk.outcome.${value as 'rejected'}`)}</label></div>`;
  const checkbox = (name: string, label: string, hint?: string) => html`<div class="form-check mb-3">
    <input class="form-check-input${errors[name] ? ' is-invalid' : ''}" type="checkbox" id="field-${name}" name="${name}" value="true" ${values[name] === 'true' ? html`checked` : ''}
      ${errors[name] || hint ? html`aria-describedby="${[hint ? `field-${name}-hint` : '', errors[name] ? `field-${name}-error` : ''].filter(Boolean).join(' ')}"` : ''}>
    <label class="form-check-label" for="field-${name}">${label}</label>
    ${hint ? html`<small id="field-${name}-hint" class="form-text d-block">${hint}</small>` : ''}
    ${errors[name] ? html`<div id="field-${name}-error" class="invalid-feedback d-block">${errors[name]}</div>` : ''}</div>`;
  return html`${errorSummary(ctx, form.errors)}
    <dl><dt>${ctx.t('desk.request.category')}</dt><dd>${ctx.t(`assistance.category.${entry.category as 'other'}`)}</dd>
      <dt>${ctx.t('desk.request.submitted')}</dt><dd>${italianDate(entry.createdAt)}</dd>
      <dt>${ctx.t('desk.queue.due')}</dt><dd>${italianDate(entry.dueBy)}</dd>
      <dt>${ctx.t('assistance.email')}</dt><dd class="text-break">${entry.email}</dd>
      <dt>${ctx.t('desk.request.message')}</dt><dd class="text-break">${entry.message}</dd></dl>
    <h2 class="h4">${ctx.t('desk.citizen.title')}</h2>
    ${file ? html`${registryList(ctx, file)}<p><a href="/desk/citizens?codiceFiscale=${file.codiceFiscale}">${ctx.t('desk.citizen.open')}</a></p>
      <h3 class="h5">${ctx.t('desk.history.title')}</h3>${historyList(ctx, file)}
      <h3 class="h5">${ctx.t('desk.messages.title')}</h3>${failedMessagesList(ctx, file)}`
      : alert('warning', html`${entry.codiceFiscale}: ${ctx.t('desk.citizen.none')}`)}
    <p><a class="btn btn-outline-primary" href="/desk/requests/${entry.id}/document">${ctx.t('desk.request.document')}</a></p>
    <form method="post" action="/desk/requests/${entry.id}/resolve" novalidate>${csrfField(ctx)}
      <fieldset class="mb-3" id="field-outcome" ${errors.outcome ? html`aria-describedby="field-outcome-error"` : ''}><legend>${ctx.t('desk.request.outcome')}</legend>
        ${errors.outcome ? html`<div id="field-outcome-error" class="invalid-feedback d-block">${errors.outcome}</div>` : ''}
        ${outcome('temporary_password')}${outcome('pin_issued')}${outcome('rejected')}</fieldset>
      ${checkbox('identityVerified', ctx.t('desk.request.identity'), ctx.t('desk.request.identity.hint'))}
      ${checkbox('updateEmail', ctx.t('desk.request.updateEmail'))}
      ${textArea({ name: 'note', label: ctx.t('desk.request.note'), value: values.note, error: errors.note, maxLength: 1000, rows: 3, required: false })}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('desk.request.submit')}</button></form>
    <p class="mt-4"><a href="/desk">${ctx.t('desk.backToQueue')}</a></p>`;
}
