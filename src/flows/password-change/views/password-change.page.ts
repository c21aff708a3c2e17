import { html, type Html } from '../../../web/html.ts';
import { alert, errorSummary, field, type FormErrors } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';

export interface PasswordChangeView {
  forced: boolean;
  askCurrent: boolean;
  policy: 'classic' | 'asvs';
  /** By field name; `form` for the rest. */
  errors?: FormErrors;
  done?: boolean;
}

export function passwordRules(ctx: PageContext, policy: 'classic' | 'asvs'): Html {
  return html`<p id="password-rules" class="small">${ctx.t(policy === 'asvs' ? 'password.rules.asvs' : 'password.rules.classic')}</p>`;
}

export function passwordChangeBody(ctx: PageContext, view: PasswordChangeView): Html {
  if (view.done) {
    return html`${alert('success', ctx.t('password.changed'))}<a class="btn btn-primary" href="/area">${ctx.t('area.title')}</a>`;
  }
  return html`${view.forced ? alert('warning', ctx.t('password.forcedIntro')) : ''}
  ${errorSummary(ctx, view.errors)}
  ${passwordRules(ctx, view.policy)}
  <form method="post" action="/area/password" novalidate>
    ${csrfField(ctx)}
    ${view.askCurrent ? field({ name: 'currentPassword', label: ctx.t('password.current'), type: 'password',
      autocomplete: 'current-password', error: view.errors?.currentPassword, maxLength: 256 }) : ''}
    ${field({ name: 'newPassword', label: ctx.t('password.new'), type: 'password', autocomplete: 'new-password',
      hint: ctx.t(view.policy === 'asvs' ? 'password.rules.asvs' : 'password.rules.classic'), error: view.errors?.newPassword, maxLength: 256 })}
    ${field({ name: 'confirmPassword', label: ctx.t('password.confirm'), type: 'password', autocomplete: 'new-password',
      error: view.errors?.confirmPassword, maxLength: 256 })}
    <button type="submit" class="btn btn-primary w-100">${ctx.t('password.submit')}</button>
  </form>`;
}
