import { html, type Html } from '../../../web/html.ts';
import { alert, errorSummary, field, type FormErrors } from '../../../web/forms.ts';

export interface DeskForm {
  values?: Record<string, string | undefined>;
  errors?: FormErrors;
}
import { csrfField, type PageContext } from '../../../web/layout.ts';
import type { QueueEntry } from '../desk.steps.ts';

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
    <small>${ctx.t('desk.queue.due')}: ${entry.dueBy ?? ''}
      ${entry.dueBy && entry.dueBy < today ? html` <span class="badge bg-danger">${ctx.t('desk.queue.overdue')}</span>` : ''}</small></li>`);
  return html`${notice ? alert('success', notice) : ''}
    ${entries.length === 0 ? html`<p>${ctx.t('desk.queue.empty')}</p>` : html`<ul class="list-unstyled">${rows}</ul>`}
    <form method="post" action="/desk/signout">${csrfField(ctx)}<button class="btn btn-outline-primary" type="submit">${ctx.t('common.signOut')}</button></form>`;
}

export function requestBody(ctx: PageContext, entry: QueueEntry, form: DeskForm = {}): Html {
  const values = form.values ?? {};
  const outcome = (value: string, checked = false) => html`<div class="form-check">
    <input class="form-check-input" type="radio" name="outcome" id="outcome-${value}" value="${value}" ${checked ? html`checked` : ''}>
    <label class="form-check-label" for="outcome-${value}">${ctx.t(`desk.outcome.${value as 'rejected'}`)}</label></div>`;
  return html`${errorSummary(ctx, form.errors)}
    <dl><dt>${ctx.t('signIn.codiceFiscale')}</dt><dd>${entry.codiceFiscale}</dd>
      <dt>Email</dt><dd>${entry.email}</dd>
      <dt>${ctx.t('desk.queue.due')}</dt><dd>${entry.dueBy ?? ''}</dd>
      <dt>${ctx.t('desk.request.message')}</dt><dd class="text-break">${entry.message}</dd></dl>
    <p><a class="btn btn-outline-primary" href="/desk/requests/${entry.id}/document">${ctx.t('desk.request.document')}</a></p>
    <form method="post" action="/desk/requests/${entry.id}/resolve" novalidate>${csrfField(ctx)}
      <fieldset class="mb-3"><legend class="h6">${ctx.t('desk.request.outcome')}</legend>
        ${outcome('temporary_password', (values.outcome ?? 'temporary_password') === 'temporary_password')}${outcome('pin_issued', values.outcome === 'pin_issued')}${outcome('rejected', values.outcome === 'rejected')}</fieldset>
      <div class="form-check mb-3"><input class="form-check-input" type="checkbox" id="identityVerified" name="identityVerified" value="true">
        <label class="form-check-label" for="identityVerified">${ctx.t('desk.request.identity')}</label></div>
      <div class="form-check mb-3"><input class="form-check-input" type="checkbox" id="updateEmail" name="updateEmail" value="true">
        <label class="form-check-label" for="updateEmail">${ctx.t('desk.request.updateEmail')}</label></div>
      <div class="form-group mb-4"><label for="field-note" class="active">${ctx.t('desk.request.note')}</label>
        <textarea id="field-note" name="note" class="form-control" rows="3" maxlength="1000" required>${values.note ?? ''}</textarea></div>
      <button type="submit" class="btn btn-primary w-100">${ctx.t('desk.request.submit')}</button></form>`;
}
