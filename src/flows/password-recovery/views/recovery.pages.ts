import { html, type Html } from '../../../web/html.ts';
import { alert, field } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import { captchaField } from '../../captcha/captcha.field.ts';
import type { CaptchaChallenge } from '../../captcha/captcha.steps.ts';
import { passwordRules } from '../../password-change/views/password-change.page.ts';

export function helpBox(ctx: PageContext): Html {
  return html`<aside class="callout mt-5" aria-labelledby="recovery-help"><h2 id="recovery-help" class="h5">${ctx.t('recovery.help.title')}</h2>
    <ul>
      <li>${ctx.t('recovery.help.user')}</li>
      <li>${ctx.t('recovery.help.spam')}</li>
      <li>${ctx.t('recovery.help.expired')}</li>
      <li>${ctx.t('recovery.help.sms')}</li>
      <li><a href="/assistance">${ctx.t('recovery.help.desk')}</a></li>
    </ul></aside>`;
}

export interface StartView {
  codiceFiscale?: string;
  channel?: 'email' | 'sms';
  email?: string;
  mobile?: string;
  error?: string;
  fieldErrors?: { codiceFiscale?: string; contact?: string; captcha?: string };
  captcha: CaptchaChallenge | null;
}

export function startBody(ctx: PageContext, view: StartView): Html {
  const channel = view.channel ?? 'email';
  const radio = (value: 'email' | 'sms') => html`<div class="form-check">
    <input class="form-check-input" type="radio" name="channel" id="channel-${value}" value="${value}" ${channel === value ? html`checked` : ''}>
    <label class="form-check-label" for="channel-${value}">${ctx.t(`recovery.channel.${value}`)}</label></div>`;
  return html`<p>${ctx.t('recovery.intro')}</p>
    ${view.error ? alert('danger', view.error) : ''}
    <form method="post" action="/recovery/password" novalidate>
      ${csrfField(ctx)}
      ${field({ name: 'codiceFiscale', label: ctx.t('signIn.codiceFiscale'), value: view.codiceFiscale, hint: ctx.t('signIn.codiceFiscale.hint'),
        error: view.fieldErrors?.codiceFiscale, autocomplete: 'username', maxLength: 40 })}
      <fieldset class="mb-4"><legend class="h6">${ctx.t('recovery.channel')}</legend>${radio('email')}${radio('sms')}</fieldset>
      ${field({ name: 'email', label: ctx.t('recovery.email'), type: 'email', value: view.email, required: false, autocomplete: 'email',
        maxLength: 254, error: channel === 'email' ? view.fieldErrors?.contact : undefined })}
      ${field({ name: 'mobile', label: ctx.t('recovery.mobile'), type: 'tel', value: view.mobile, required: false, autocomplete: 'tel',
        maxLength: 30, error: channel === 'sms' ? view.fieldErrors?.contact : undefined })}
      ${captchaField(ctx, view.captcha, view.fieldErrors?.captcha)}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('recovery.submit')}</button>
    </form>${helpBox(ctx)}`;
}

export function sentBody(ctx: PageContext, view: { channel: 'email' | 'sms'; flowId: string; error?: string }): Html {
  if (view.channel === 'email') return html`${alert('info', ctx.t('recovery.sent.email'))}${helpBox(ctx)}`;
  return html`${alert('info', ctx.t('recovery.sent.sms'))}
    <form method="post" action="/recovery/password/code" novalidate>
      ${csrfField(ctx)}<input type="hidden" name="flowId" value="${view.flowId}">
      ${field({ name: 'code', label: ctx.t('recovery.code'), error: view.error, autocomplete: 'one-time-code', maxLength: 6 })}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('recovery.code.submit')}</button>
    </form>${helpBox(ctx)}`;
}

export function newPasswordBody(
  ctx: PageContext,
  view: { token: string; needsCode: boolean; policy: 'classic' | 'asvs'; errors?: { password?: string; confirm?: string; code?: string } },
): Html {
  return html`${passwordRules(ctx, view.policy)}
    <form method="post" action="/recovery/password/complete" novalidate>
      ${csrfField(ctx)}<input type="hidden" name="token" value="${view.token}">
      ${view.needsCode ? field({ name: 'code', label: ctx.t('recovery.code'), error: view.errors?.code, autocomplete: 'one-time-code', maxLength: 6 }) : ''}
      ${field({ name: 'newPassword', label: ctx.t('password.new'), type: 'password', autocomplete: 'new-password', error: view.errors?.password, maxLength: 256 })}
      ${field({ name: 'confirmPassword', label: ctx.t('password.confirm'), type: 'password', autocomplete: 'new-password', error: view.errors?.confirm, maxLength: 256 })}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('password.submit')}</button>
    </form>`;
}

export function doneBody(ctx: PageContext): Html {
  return html`${alert('success', ctx.t('recovery.done'))}<a class="btn btn-primary" href="/signin">${ctx.t('recovery.signIn')}</a>`;
}

export function linkProblemBody(ctx: PageContext, problemTitle: string): Html {
  return html`${alert('warning', problemTitle)}<p><a class="btn btn-primary" href="/recovery/password">${ctx.t('recovery.startAgain')}</a></p>${helpBox(ctx)}`;
}
