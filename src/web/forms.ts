// Form building blocks on Bootstrap Italia: every field labelled, its hint and error tied
// to it with aria-describedby, so a screen reader reads them with the field.
import { html, type Html } from './html.ts';
import type { PageContext } from './layout.ts';

/** Field name → message; `form` holds what belongs to no field. */
export type FormErrors = Partial<Record<string, string>>;

export interface FieldOptions {
  name: string;
  label: string;
  type?: 'text' | 'password' | 'email' | 'tel';
  value?: string;
  hint?: string;
  error?: string;
  autocomplete?: string;
  required?: boolean;
  maxLength?: number;
  extra?: Html;
}

export function field(options: FieldOptions): Html {
  const id = `field-${options.name}`;
  const describedBy = [options.hint ? `${id}-hint` : '', options.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="form-group mb-4">
    <label for="${id}" class="active">${options.label}</label>
    <input id="${id}" name="${options.name}" type="${options.type ?? 'text'}"
      class="form-control${options.error ? ' is-invalid' : ''}"
      value="${options.type === 'password' ? '' : (options.value ?? '')}"
      ${options.autocomplete ? html`autocomplete="${options.autocomplete}"` : ''}
      ${options.maxLength ? html`maxlength="${options.maxLength}"` : ''}
      ${options.required === false ? '' : html`required`}
      ${options.error ? html`aria-invalid="true"` : ''}
      ${describedBy ? html`aria-describedby="${describedBy}"` : ''}>
    ${options.hint ? html`<small id="${id}-hint" class="form-text">${options.hint}</small>` : ''}
    ${options.error ? html`<div id="${id}-error" class="invalid-feedback d-block" role="alert">${options.error}</div>` : ''}
    ${options.extra ?? ''}
  </div>`;
}

export function alert(kind: 'success' | 'danger' | 'info' | 'warning', message: string | Html): Html {
  return html`<div class="alert alert-${kind}" role="${kind === 'danger' ? 'alert' : 'status'}">${message}</div>`;
}

/**
 * The top of a form in error: what belongs to no field, then one link a field in error (to
 * `#field-<name>`, the id field() gives), so a screen-reader or keyboard user reaches each.
 */
export function errorSummary(ctx: PageContext, errors: FormErrors | undefined): Html {
  if (!errors) return html``;
  const fields = Object.entries(errors).filter(([name, message]) => name !== 'form' && message);
  return html`${errors.form ? alert('danger', errors.form) : ''}${fields.length > 0
    ? html`<div class="alert alert-danger varco-error-summary" role="alert"><p class="mb-1">${ctx.t('common.errorsFound')}</p>
      <ul class="mb-0">${fields.map(([name, message]) => html`<li><a href="#field-${name}">${message}</a></li>`)}</ul></div>`
    : ''}`;
}
