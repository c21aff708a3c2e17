// Pages of "Password dimenticata": plain forms that work without JavaScript on a 360 px
// screen; every field labelled, errors tied to it (web/forms.ts).
import { html, type Html } from '../../../web/html.ts';
import { alert, errorSummary, field, type FormErrors } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';
import { captchaField } from '../../captcha/captcha.field.ts';
import type { CaptchaChallenge } from '../../captcha/captcha.steps.ts';
import { securityAnswerField } from '../../profile-completion/views/security-answer-field.ts';

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
  /** By field name (codiceFiscale, email, mobile, captchaAnswer); `form` for the rest. */
  errors?: FormErrors;
  captcha: CaptchaChallenge | null;
  /** Recovery through SPID / CIE (src/flows/federation/views/buttons.ts). */
  federation?: Html;
}

export function startBody(ctx: PageContext, view: StartView): Html {
  const channel = view.channel ?? 'email';
  const radio = (value: 'email' | 'sms') => html`<div class="form-check">
    <input class="form-check-input" type="radio" name="channel" id="channel-${value}" value="${value}" ${channel === value ? html`checked` : ''}>
    <label class="form-check-label" for="channel-${value}">${ctx.t(`recovery.channel.${value}`)}</label></div>`;
  return html`<p>${ctx.t('recovery.intro')}</p>
    ${errorSummary(ctx, view.errors)}
    <form method="post" action="/recovery/password" novalidate>
      ${csrfField(ctx)}
      ${field({ name: 'codiceFiscale', label: ctx.t('signIn.codiceFiscale'), value: view.codiceFiscale, hint: ctx.t('signIn.codiceFiscale.hint'),
        error: view.errors?.codiceFiscale, autocomplete: 'username', maxLength: 40 })}
      <fieldset class="mb-4"><legend class="h6">${ctx.t('recovery.channel')}</legend>${radio('email')}${radio('sms')}</fieldset>
      ${field({ name: 'email', label: ctx.t('recovery.email'), type: 'email', value: view.email, required: false, autocomplete: 'email',
        maxLength: 254, error: view.errors?.email })}
      ${field({ name: 'mobile', label: ctx.t('recovery.mobile'), type: 'tel', value: view.mobile, required: false, autocomplete: 'tel',
        maxLength: 30, hint: ctx.t('recovery.mobile.hint'), error: view.errors?.mobile })}
      ${captchaField(ctx, view.captcha, view.errors?.captchaAnswer)}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('recovery.submit')}</button>
    </form>${view.federation ?? ''}${helpBox(ctx)}`;
}

function codeField(ctx: PageContext, error?: string): Html {
  return field({ name: 'code', label: ctx.t('recovery.code'), hint: ctx.t('recovery.code.hint'), error,
    autocomplete: 'one-time-code', maxLength: 6 });
}

/** The same page whatever matched (S2): it says where to look, never whether anything was sent. */
export function sentBody(ctx: PageContext, view: { channel: 'email' | 'sms'; flowId: string; error?: string }): Html {
  if (view.channel === 'email') return html`${alert('info', ctx.t('recovery.sent.email'))}${helpBox(ctx)}`;
  return html`${alert('info', ctx.t('recovery.sent.sms'))}
    <form method="post" action="/recovery/password/code" novalidate>
      ${csrfField(ctx)}<input type="hidden" name="flowId" value="${view.flowId}">
      ${codeField(ctx, view.error)}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('recovery.code.submit')}</button>
    </form>
    <p class="mt-3"><a href="/recovery/password">${ctx.t('recovery.useOtherChannel')}</a></p>${helpBox(ctx)}`;
}

function passwordTips(ctx: PageContext): Html {
  return html`<details class="mb-4"><summary>${ctx.t('recovery.tips.title')}</summary><ul class="small mt-2">
    <li>${ctx.t('recovery.tips.phrase')}</li><li>${ctx.t('recovery.tips.personal')}</li><li>${ctx.t('recovery.tips.unique')}</li>
  </ul></details>`;
}

/** A form that asks the SMS code of the second factor to be sent (again); the token rides in it. */
export function sendCodeForm(ctx: PageContext, token: string, again: boolean): Html {
  return html`<form method="post" action="/recovery/password/second-factor" novalidate class="mb-4">
      ${csrfField(ctx)}<input type="hidden" name="token" value="${token}">
      <button type="submit" class="btn ${again ? 'btn-outline-primary' : 'btn-primary'} w-100">
        ${ctx.t(again ? 'recovery.secondFactor.resend' : 'recovery.secondFactor.send')}</button>
    </form>`;
}

/** Second factor: the opened link first asks for the SMS code. */
export function secondFactorBody(ctx: PageContext, view: { token: string; notice?: string }): Html {
  return html`${view.notice ? alert('warning', view.notice) : ''}<p>${ctx.t('recovery.secondFactor.intro')}</p>
    ${sendCodeForm(ctx, view.token, false)}${helpBox(ctx)}`;
}

export interface NewPasswordView {
  token: string;
  secondFactor: boolean;
  policy: 'classic' | 'asvs';
  notice?: string;
  /** By field name: code, newPassword, confirmPassword, securityAnswer. */
  errors?: FormErrors;
  /** The account's security question: its answer is asked beside the link. */
  securityQuestion?: string | null;
}

export function newPasswordBody(ctx: PageContext, view: NewPasswordView): Html {
  return html`${view.notice ? alert('info', view.notice) : ''}${errorSummary(ctx, view.errors)}
    <p>${ctx.t('recovery.newPassword.intro')}</p>
    ${passwordTips(ctx)}
    <form method="post" action="/recovery/password/complete" novalidate>
      ${csrfField(ctx)}<input type="hidden" name="token" value="${view.token}">
      ${view.secondFactor ? codeField(ctx, view.errors?.code) : ''}
      ${securityAnswerField(ctx, { question: view.securityQuestion, error: view.errors?.securityAnswer })}
      ${field({ name: 'newPassword', label: ctx.t('password.new'), type: 'password', autocomplete: 'new-password',
        hint: ctx.t(view.policy === 'asvs' ? 'password.rules.asvs' : 'password.rules.classic'), error: view.errors?.newPassword, maxLength: 256 })}
      ${field({ name: 'confirmPassword', label: ctx.t('password.confirm'), type: 'password', autocomplete: 'new-password',
        error: view.errors?.confirmPassword, maxLength: 256 })}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('password.submit')}</button>
    </form>
    ${view.secondFactor ? html`<div class="mt-4">${sendCodeForm(ctx, view.token, true)}</div>` : ''}`;
}

export function doneBody(ctx: PageContext): Html {
  return html`${alert('success', ctx.t('recovery.done'))}<p>${ctx.t('recovery.done.notice')}</p>
    <a class="btn btn-primary w-100" href="/signin">${ctx.t('recovery.signIn')}</a>`;
}

export function linkProblemBody(ctx: PageContext, problemTitle: string): Html {
  return html`${alert('warning', problemTitle)}<p>${ctx.t('recovery.link.intro')}</p>
    <p><a class="btn btn-primary w-100" href="/recovery/password">${ctx.t('recovery.startAgain')}</a></p>${helpBox(ctx)}`;
}
