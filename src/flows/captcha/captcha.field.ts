import { html, type Html } from '../../web/html.ts';
import { field } from '../../web/forms.ts';
import type { PageContext } from '../../web/layout.ts';
import type { CaptchaChallenge } from './captcha.steps.ts';

/** The captcha as form fields; the answer travels as captchaChallenge + captchaAnswer. */
export function captchaField(ctx: PageContext, challenge: CaptchaChallenge | null, error?: string): Html {
  if (!challenge) return html``;
  return html`<fieldset class="mb-3"><legend class="h6">${ctx.t('captcha.legend')}</legend>
    <input type="hidden" name="captchaChallenge" value="${challenge.challenge}">
    ${field({ name: 'captchaAnswer', label: challenge.question, error, autocomplete: 'off', maxLength: 4 })}
  </fieldset>`;
}

/** Joins the two form fields into the API's "captcha" value. */
export function captchaFromForm(form: { captchaChallenge?: string; captchaAnswer?: string }): string | undefined {
  return form.captchaChallenge ? `${form.captchaChallenge}:${form.captchaAnswer ?? ''}` : undefined;
}
