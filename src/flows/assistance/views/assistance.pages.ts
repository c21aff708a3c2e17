import { html, type Html } from '../../../web/html.ts';
import { alert, errorSummary, field, fileField, selectField, textArea, type FormErrors } from '../../../web/forms.ts';
import type { PageContext } from '../../../web/layout.ts';
import { csrfField } from '../../../web/layout.ts';
import { captchaField } from '../../captcha/captcha.field.ts';
import type { CaptchaChallenge } from '../../captcha/captcha.steps.ts';
import { categories, type RequestStatus } from '../assistance.steps.ts';
import { dateFormats } from '../../../domain/date-format.ts';

const civilDateFormat = dateFormats({ dateStyle: 'long', timeZone: 'UTC' });

export interface RequestFormView {
  values?: { codiceFiscale?: string; email?: string; category?: string; message?: string };
  /** By field name (document, captchaAnswer…); `form` for the rest. */
  errors?: FormErrors;
  captcha: CaptchaChallenge | null;
}

export function requestFormBody(ctx: PageContext, view: RequestFormView): Html {
  const v = view.values ?? {};
  // The token rides in the multipart body: the route checks it once the body is read.
  return html`<p>${ctx.t('assistance.intro')}</p>
    ${errorSummary(ctx, view.errors)}
    <form method="post" action="/assistance" enctype="multipart/form-data" novalidate>${csrfField(ctx)}
      ${field({ name: 'codiceFiscale', label: ctx.t('signIn.codiceFiscale'), value: v.codiceFiscale, error: view.errors?.codiceFiscale, maxLength: 40 })}
      ${field({ name: 'email', label: ctx.t('assistance.email'), type: 'email', value: v.email, hint: ctx.t('assistance.email.hint'), autocomplete: 'email', maxLength: 254, error: view.errors?.email })}
      ${selectField({ name: 'category', label: ctx.t('assistance.category'), value: v.category, error: view.errors?.category,
        options: categories.map((c) => ({ value: c, label: ctx.t(`assistance.category.${c}`) })) })}
      ${textArea({ name: 'message', label: ctx.t('assistance.message'), value: v.message, error: view.errors?.message, maxLength: 2000 })}
      ${fileField({ name: 'document', label: ctx.t('assistance.document'), accept: 'application/pdf,image/jpeg,image/png', error: view.errors?.document })}
      ${captchaField(ctx, view.captcha, view.errors?.captchaAnswer)}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('assistance.submit')}</button>
    </form>
    <p class="mt-4"><a href="/appointments">${ctx.t('assistance.office')}</a></p>`;
}

export function sentBody(ctx: PageContext): Html {
  return alert('success', ctx.t('assistance.sent'));
}

export function confirmBody(ctx: PageContext, token: string): Html {
  return html`<form method="post" action="/assistance/confirm">${csrfField(ctx)}<input type="hidden" name="token" value="${token}">
    <button type="submit" class="btn btn-primary w-100">${ctx.t('assistance.confirm.submit')}</button></form>`;
}

export function statusBody(ctx: PageContext, status: RequestStatus): Html {
  const dueBy = status.dueBy
    ? civilDateFormat(ctx.lang).format(new Date(`${status.dueBy}T00:00:00Z`)) : '';
  const text = status.status === 'confirmed'
    ? ctx.t('assistance.status.confirmed', { date: dueBy })
    : ctx.t(`assistance.status.${status.status as 'unconfirmed' | 'resolved' | 'rejected' | 'expired'}`);
  return html`${alert(status.status === 'rejected' || status.status === 'expired' ? 'warning' : 'info', text)}
    <dl><dt>${ctx.t('assistance.category')}</dt><dd>${ctx.t(`assistance.category.${status.category as 'other'}`)}</dd></dl>`;
}

export function linkProblemBody(ctx: PageContext, message: string): Html {
  return html`${alert('warning', message)}<p><a class="btn btn-primary" href="/assistance">${ctx.t('assistance.title')}</a></p>`;
}
