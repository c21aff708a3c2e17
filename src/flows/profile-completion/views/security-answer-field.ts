// The answer field recovery forms add beside their link or code (security-answer-factor.ts).
// With a known question (a recovery link names its account) the question is shown and the
// field required; without one (PIN recovery cannot tell whose account it is, S2) the field is
// optional and says when to fill it.
import { html, type Html } from '../../../web/html.ts';
import { field } from '../../../web/forms.ts';
import type { PageContext } from '../../../web/layout.ts';

export function securityAnswerField(ctx: PageContext, view: { question?: string | null; error?: string; optional?: boolean }): Html {
  if (!view.question && !view.optional) return html``;
  const hint = view.question ? ctx.t('profile.answer.hint') : ctx.t('profile.recoveryAnswer.optional');
  return html`${view.question ? html`<p class="mb-2"><strong>${ctx.t('profile.recoveryAnswer.question')}</strong> ${view.question}</p>` : ''}
    ${field({ name: 'securityAnswer', label: ctx.t('profile.recoveryAnswer'), type: 'password', autocomplete: 'off', maxLength: 200,
      hint, error: view.error, required: !view.optional })}`;
}
