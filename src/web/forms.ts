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

function describedBy(id: string, hint?: string, error?: string): Html {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids ? html`aria-describedby="${ids}"` : html``;
}

function hintAndError(id: string, hint?: string, error?: string): Html {
  return html`${hint ? html`<small id="${id}-hint" class="form-text">${hint}</small>` : ''}
    ${error ? html`<div id="${id}-error" class="invalid-feedback d-block">${error}</div>` : ''}`;
}

export interface TextAreaOptions { name: string; label: string; value?: string; hint?: string; error?: string; maxLength: number; rows?: number; required?: boolean }

/** A labelled textarea; its label stands above it (varco.css), never over the field before. */
export function textArea(options: TextAreaOptions): Html {
  const id = `field-${options.name}`;
  return html`<div class="form-group mb-4"><label for="${id}" class="active">${options.label}</label>
    <textarea id="${id}" name="${options.name}" class="form-control${options.error ? ' is-invalid' : ''}" rows="${options.rows ?? 4}"
      maxlength="${options.maxLength}" ${options.required === false ? '' : html`required`} ${options.error ? html`aria-invalid="true"` : ''}
      ${describedBy(id, options.hint, options.error)}>${options.value ?? ''}</textarea>
    ${hintAndError(id, options.hint, options.error)}</div>`;
}

export interface SelectOptions { name: string; label: string; options: { value: string; label: string }[]; value?: string; error?: string; placeholder?: string }

export function selectField(options: SelectOptions): Html {
  const id = `field-${options.name}`;
  return html`<div class="select-wrapper form-group mb-4"><label for="${id}" class="active">${options.label}</label>
    <select id="${id}" name="${options.name}" class="form-select${options.error ? ' is-invalid' : ''}" ${options.error ? html`aria-invalid="true"` : ''}
      ${describedBy(id, undefined, options.error)}>
      ${options.placeholder ? html`<option value="" ${options.value ? '' : html`selected`}>${options.placeholder}</option>` : ''}
      ${options.options.map((o) => html`<option value="${o.value}" ${o.value === options.value ? html`selected` : ''}>${o.label}</option>`)}</select>
    ${hintAndError(id, undefined, options.error)}</div>`;
}

export interface FileOptions { name: string; label: string; accept: string; hint?: string; error?: string }

export function fileField(options: FileOptions): Html {
  const id = `field-${options.name}`;
  return html`<div class="form-group mb-4"><label for="${id}" class="active">${options.label}</label>
    <input id="${id}" name="${options.name}" type="file" accept="${options.accept}" class="form-control${options.error ? ' is-invalid' : ''}" required
      ${options.error ? html`aria-invalid="true"` : ''} ${describedBy(id, options.hint, options.error)}>
    ${hintAndError(id, options.hint, options.error)}</div>`;
}
