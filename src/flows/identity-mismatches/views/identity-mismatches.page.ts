// The desk page of open identity mismatches: per mismatch a table of asserted vs registered
// data (differing cells marked in words, not only colour) and a CSRF-protected form to mark
// it reviewed with a note. Plain HTML forms: works without JavaScript.
import { html, type Html } from '../../../web/html.ts';
import { alert, errorSummary, type FormErrors } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import type { MismatchEntry } from '../identity-mismatches.steps.ts';
import { pageDateTime } from '../../../web/dates.ts';

export interface MismatchForm {
  /** The mismatch the submitted form was about. */
  id?: string;
  values?: Record<string, string | undefined>;
  errors?: FormErrors;
}

function comparison(ctx: PageContext, entry: MismatchEntry): Html {
  const row = (field: 'firstName' | 'lastName' | 'birthDate') => {
    const differs = entry.fields.includes(field);
    return html`<tr${differs ? html` class="table-warning"` : ''}><th scope="row">${ctx.t(`mismatches.${field}`)}${differs ? html` <span class="badge bg-warning text-dark">${ctx.t('mismatches.differs')}</span>` : ''}</th>
      <td>${entry.asserted[field] ?? ''}</td><td>${entry.registered[field] ?? ''}</td></tr>`;
  };
  return html`<div class="table-responsive"><table class="table table-sm">
    <caption class="visually-hidden">${entry.codiceFiscale}</caption>
    <thead><tr><th scope="col">${ctx.t('mismatches.field')}</th><th scope="col">${ctx.t('mismatches.asserted')}</th><th scope="col">${ctx.t('mismatches.registered')}</th></tr></thead>
    <tbody>${row('firstName')}${row('lastName')}${row('birthDate')}</tbody></table></div>`;
}

/**
 * The note of one mismatch's form. Every form on the page has its own, so the id carries the
 * mismatch (forms.ts's textArea would repeat `field-note`); errors are keyed `note-<id>` so the
 * error summary links here.
 */
function noteField(ctx: PageContext, id: string, value: string | undefined, error: string | undefined): Html {
  const fieldId = `field-note-${id}`;
  return html`<div class="form-group mb-3"><label for="${fieldId}" class="active">${ctx.t('mismatches.note')}</label>
    <textarea id="${fieldId}" name="note" class="form-control${error ? ' is-invalid' : ''}" rows="2" maxlength="1000" required
      ${error ? html`aria-invalid="true" aria-describedby="${fieldId}-error"` : ''}>${value ?? ''}</textarea>
    ${error ? html`<div id="${fieldId}-error" class="invalid-feedback d-block">${error}</div>` : ''}</div>`;
}

function mismatchCard(ctx: PageContext, entry: MismatchEntry, form: MismatchForm): Html {
  const mine = form.id === entry.id;
  return html`<section class="border rounded p-3 mb-4" aria-labelledby="mismatch-${entry.id}">
    <h2 class="h5" id="mismatch-${entry.id}">${entry.codiceFiscale}</h2>
    <dl class="mb-2"><dt>${ctx.t('mismatches.provider')}</dt><dd class="text-break">${entry.method.toUpperCase()} · ${entry.provider}</dd>
      <dt>${ctx.t('mismatches.when')}</dt><dd>${pageDateTime(ctx, entry.lastSeenAt)}</dd>
      <dt>${ctx.t('mismatches.occurrences')}</dt><dd>${String(entry.occurrences)}</dd></dl>
    ${comparison(ctx, entry)}
    <form method="post" action="/desk/mismatches/${entry.id}/review" novalidate>${csrfField(ctx)}
      ${noteField(ctx, entry.id, mine ? form.values?.note : undefined, mine ? form.errors?.[`note-${entry.id}`] : undefined)}
      <button type="submit" class="btn btn-primary">${ctx.t('mismatches.submit')}</button></form></section>`;
}

export function mismatchesBody(ctx: PageContext, entries: MismatchEntry[], form: MismatchForm = {}, notice?: string): Html {
  return html`${notice ? alert('success', notice) : ''}${errorSummary(ctx, form.errors)}
    <p>${ctx.t('mismatches.intro')}</p>
    ${entries.length === 0 ? html`<p>${ctx.t('mismatches.empty')}</p>` : entries.map((entry) => mismatchCard(ctx, entry, form))}
    <p class="mt-4"><a href="/desk">${ctx.t('mismatches.back')}</a></p>`;
}

/** The line the desk queue page shows: a link with the number of open mismatches. */
export function mismatchesLink(ctx: PageContext, open: number): Html {
  return html`<p><a href="/desk/mismatches">${ctx.t('mismatches.link', { count: open })}</a></p>`;
}
