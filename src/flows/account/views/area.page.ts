import { html, type Html } from '../../../web/html.ts';
import type { PageContext } from '../../../web/layout.ts';
import type { ActivityEntry } from '../../../store/audit.repo.ts';
import { isMessageKey } from '../../../web/i18n/index.ts';
import type { describeAccount } from '../account.routes.ts';
import { pinSection } from '../../pin/views/pin.pages.ts';
import { alert } from '../../../web/forms.ts';

type AccountView = ReturnType<typeof describeAccount>;

function formatDate(ctx: PageContext, iso: Date | string): string {
  return new Intl.DateTimeFormat(ctx.lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Rome' }).format(new Date(iso));
}

function contactRow(ctx: PageContext, label: string, value: string | null, verified?: boolean): Html {
  return html`<div class="d-flex flex-wrap justify-content-between border-bottom py-2">
    <dt class="me-3">${label}</dt>
    <dd class="mb-0 text-break">${value ?? ctx.t('area.notSet')}
      ${value && verified !== undefined ? html` <span class="badge ${verified ? 'bg-success' : 'bg-warning text-dark'}">${ctx.t(verified ? 'area.verified' : 'area.notVerified')}</span>` : ''}</dd>
  </div>`;
}

function activityList(ctx: PageContext, events: ActivityEntry[]): Html {
  if (events.length === 0) return html`<p>${ctx.t('area.activity.empty')}</p>`;
  return html`<ul class="list-unstyled">${events.map((event) => {
    const key = `activity.${event.type}`;
    return html`<li class="border-bottom py-2"><strong>${isMessageKey(key) ? ctx.t(key) : event.type}</strong><br>
      <small>${formatDate(ctx, event.at)}${event.ip ? ` · ${event.ip}` : ''}</small></li>`;
  })}</ul>`;
}

export type AreaNotice = 'pin_changed' | 'pin_revoked' | 'password_changed';
const noticeTexts = { pin_changed: 'pin.change.done', pin_revoked: 'pin.revoked', password_changed: 'password.changed' } as const;

export function areaBody(ctx: PageContext, account: AccountView, events: ActivityEntry[], notice?: AreaNotice): Html {
  return html`${notice ? alert('success', ctx.t(noticeTexts[notice])) : ''}<p class="lead">${ctx.t('area.welcome', { name: `${account.firstName} ${account.lastName}` })}</p>
  <section aria-labelledby="profile-heading" class="mb-4">
    <h2 id="profile-heading" class="h4">${ctx.t('area.profile')}</h2>
    <dl>
      ${contactRow(ctx, ctx.t('signIn.codiceFiscale'), account.codiceFiscale)}
      ${contactRow(ctx, ctx.t('area.email'), account.email, account.emailVerified)}
      ${contactRow(ctx, ctx.t('area.mobile'), account.mobile, account.mobileVerified)}
      ${contactRow(ctx, ctx.t('area.pec'), account.pec)}
    </dl>
    ${account.password.expiresAt ? html`<p>${ctx.t('area.passwordExpires', { date: formatDate(ctx, account.password.expiresAt) })}</p>` : ''}
    <a class="btn btn-outline-primary" href="/area/password">${ctx.t('area.changePassword')}</a>
  </section>
  ${pinSection(ctx, account.pin.state)}
  <section aria-labelledby="activity-heading">
    <h2 id="activity-heading" class="h4">${ctx.t('area.activity')}</h2>
    ${activityList(ctx, events)}
  </section>`;
}
