import { html, type Html } from '../../../web/html.ts';
import { alert, field } from '../../../web/forms.ts';
import { csrfField, type PageContext } from '../../../web/layout.ts';

export interface PasswordChangeView {
  forced: boolean;
  askCurrent: boolean;
  policy: 'classic' | 'asvs';
  errors?: { current?: string; new?: string; confirm?: string };
  done?: boolean;
}

export function passwordRules(ctx: PageContext, policy: 'classic' | 'asvs'): Html {
  return html`<p id="password-rules" class="small">${ctx.t(policy === 'asvs' ? 'password.rules.asvs' : 'password.rules.classic')}</p>`;
}

export function passwordChangeBody(ctx: PageContext, view: PasswordChangeView): Html {
  if (view.done) {
    return html`${alert('success', ctx.t('password.changed'))}<a class="btn btn-primary" href="/area">${ctx.t('area.title')}</a>`;
  }
  const hasErrors = view.errors && Object.values(view.errors).some(Boolean);
  return html`${view.forced ? alert('warning', ctx.t('password.forcedIntro')) : ''}
  ${hasErrors ? alert('danger', ctx.t('common.errorsFound')) : ''}
  ${passwordRules(ctx, view.policy)}
  <form method="post" action="/area/password" novalidate>
    ${csrfField(ctx)}
    ${view.askCurrent ? field({ name: 'currentPassword', label: ctx.t('password.current'), type: 'password',
      autocomplete: 'current-password', error: view.errors?.current, maxLength: 256 }) : ''}
    ${field({ name: 'newPassword', label: ctx.t('password.new'), type: 'password', autocomplete: 'new-password',
      hint: ctx.t(view.policy === 'asvs' ? 'password.rules.asvs' : 'password.rules.classic'), error: view.errors?.new, maxLength: 256 })}
    ${field({ name: 'confirmPassword', label: ctx.t('password.confirm'), type: 'password', autocomplete: 'new-password',
      error: view.errors?.confirm, maxLength: 256 })}
    <button type="submit" class="btn btn-primary w-100">${ctx.t('password.submit')}</button>
  </form>`;
}
