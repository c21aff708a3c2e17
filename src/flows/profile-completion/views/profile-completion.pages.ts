// Pages of the completion steps: no JavaScript, one form a step, 360 px wide.
import { alert, field } from '../../../web/forms.ts';
import { html, type Html } from '../../../web/html.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';

export interface CodePageView {
  channel: 'email' | 'mobile';
  step: number;
  address: string;
  sent?: boolean;
  error?: string;
}

export function codePageBody(ctx: PageContext, view: CodePageView): Html {
  const path = view.channel === 'email' ? '/area/email/verify' : '/area/mobile/verify';
  return html`<p class="text-muted">${ctx.t('profile.step', { step: String(view.step) })}</p>
    ${view.sent ? alert('success', ctx.t('profile.sent')) : ''}
    <p>${ctx.t(view.channel === 'email' ? 'profile.email.intro' : 'profile.mobile.intro', { address: view.address })}</p>
    <form method="post" action="${path}/send" class="mb-4">${csrfField(ctx)}
      <button type="submit" class="btn btn-outline-primary w-100">${ctx.t(view.sent ? 'profile.sendAgain' : 'profile.send')}</button></form>
    <form method="post" action="${path}" novalidate>${csrfField(ctx)}
      ${field({ name: 'code', label: ctx.t('profile.code'), hint: ctx.t('profile.code.hint'), autocomplete: 'one-time-code', maxLength: 6,
        error: view.error })}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('profile.confirm')}</button>
    </form>`;
}

export function securityQuestionBody(ctx: PageContext, view: { step: number; question?: string; errors?: { question?: string; answer?: string } }): Html {
  return html`<p class="text-muted">${ctx.t('profile.step', { step: String(view.step) })}</p>
    <p>${ctx.t('profile.question.intro')}</p>
    <form method="post" action="/area/security-question" novalidate>${csrfField(ctx)}
      ${field({ name: 'question', label: ctx.t('profile.question'), hint: ctx.t('profile.question.hint'), value: view.question, maxLength: 200,
        error: view.errors?.question })}
      ${field({ name: 'answer', label: ctx.t('profile.answer'), hint: ctx.t('profile.answer.hint'), type: 'password', autocomplete: 'off', maxLength: 200,
        error: view.errors?.answer })}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('profile.question.save')}</button>
    </form>`;
}
