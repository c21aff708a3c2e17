// The personal area: profile, contacts with their verification state, credentials (password
// age and expiry, PIN state, change and revoke), the linked SPID/CIE identity, sessions and
// authorised services, recent activity and security advice. No JavaScript.
import { html, type Html } from '../../../web/html.ts';
import type { PageContext } from '../../../web/layout.ts';
import type { ActivityEntry } from '../../../store/audit.repo.ts';
import { isMessageKey } from '../../../web/i18n/index.ts';
import type { describeAccount } from '../account.routes.ts';
import type { FederatedSignInRow } from '../../../store/federated-sign-ins.repo.ts';
import { pinSection } from '../../pin/views/pin.pages.ts';
import { alert } from '../../../web/forms.ts';
import { pageDateTime } from '../../../web/dates.ts';
import { dateFormats } from '../../../domain/date-format.ts';

const civilDateFormat = dateFormats({ dateStyle: 'long', timeZone: 'UTC' });

type AccountView = ReturnType<typeof describeAccount>;

export interface AreaExtras {
  birthDate: string | null;
  passwordChangedAt: Date | null;
  passwordTemporary: boolean;
  identity: FederatedSignInRow | null;
  sessions: number;
  services: number;
  now: Date;
  /** Per contact, the new address waiting for its code (contacts flow). */
  pendingContacts: Partial<Record<ContactKind, string>>;
  /** Whether the PEC was proved by its code (the API's account view has no such field). */
  pecVerified: boolean;
}

type ContactKind = 'email' | 'mobile' | 'pec';

function formatDay(ctx: PageContext, iso: string): string {
  return civilDateFormat(ctx.lang).format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));
}

function row(ctx: PageContext, label: string, value: string | null, verified?: boolean): Html {
  return html`<div class="d-flex flex-wrap justify-content-between border-bottom py-2">
    <dt class="me-3">${label}</dt>
    <dd class="mb-0 text-break">${value ?? ctx.t('area.notSet')}
      ${value && verified !== undefined ? html` <span class="badge ${verified ? 'bg-success' : 'bg-warning text-dark'}">${ctx.t(verified ? 'area.verified' : 'area.notVerified')}</span>` : ''}</dd>
  </div>`;
}

/** A contact with its state, the change waiting for its code if any, and the way to change it. */
function contactRow(ctx: PageContext, contact: ContactKind, value: string | null, verified: boolean | undefined, pending: string | undefined): Html {
  const label = ctx.t(`area.${contact}`);
  return html`<div class="d-flex flex-wrap justify-content-between border-bottom py-2">
    <dt class="me-3">${label}</dt>
    <dd class="mb-0 text-break">${value ?? ctx.t('area.notSet')}
      ${value && verified !== undefined ? html` <span class="badge ${verified ? 'bg-success' : 'bg-warning text-dark'}">${ctx.t(verified ? 'area.verified' : 'area.notVerified')}</span>` : ''}
      <span class="d-block small mt-1">${pending ? html`${ctx.t('contacts.pending', { target: pending })}
        <a href="/area/contacts/${contact}/code">${ctx.t('contacts.pending.enter')}<span class="visually-hidden"> (${label})</span></a> · ` : ''}<a
        href="/area/contacts/${contact}">${ctx.t('contacts.edit')}<span class="visually-hidden"> ${label}</span></a></span></dd>
  </div>`;
}

function activityList(ctx: PageContext, events: ActivityEntry[]): Html {
  if (events.length === 0) return html`<p>${ctx.t('area.activity.empty')}</p>`;
  return html`<ul class="list-unstyled">${events.map((event) => {
    const key = `activity.${event.type}`;
    return html`<li class="border-bottom py-2"><strong>${isMessageKey(key) ? ctx.t(key) : event.type}</strong><br>
      <small>${pageDateTime(ctx, event.at)}${event.ip ? ` · ${event.ip}` : ''}</small></li>`;
  })}</ul>`;
}

function passwordSection(ctx: PageContext, account: AccountView, extras: AreaExtras): Html {
  if (!account.password.set) return html`<p>${ctx.t('account.password.none')}</p>`;
  const days = extras.passwordChangedAt ? Math.max(0, Math.floor((extras.now.getTime() - extras.passwordChangedAt.getTime()) / 86_400_000)) : null;
  const expiry = account.password.expiresAt
    ? ctx.t(extras.passwordTemporary ? 'account.password.temporary' : 'area.passwordExpires', { date: pageDateTime(ctx, account.password.expiresAt) })
    : ctx.t('account.password.noExpiry');
  return html`${extras.passwordChangedAt && days !== null && !extras.passwordTemporary
    ? html`<p class="mb-1">${ctx.t('account.password.changed', { date: pageDateTime(ctx, extras.passwordChangedAt), days })}</p>` : ''}
    <p>${expiry}</p>
    <a class="btn btn-outline-primary mb-3" href="/area/password">${ctx.t('area.changePassword')}</a>`;
}

function identitySection(ctx: PageContext, identity: FederatedSignInRow | null): Html {
  const text = !identity ? ctx.t('account.identity.none')
    : identity.method === 'cie' ? ctx.t('account.identity.cie', { date: pageDateTime(ctx, identity.at) })
      : ctx.t('account.identity.spid', { provider: identity.provider ?? 'SPID', level: identity.level ?? 1, date: pageDateTime(ctx, identity.at) });
  return html`<section aria-labelledby="identity-heading" class="mb-4">
    <h2 id="identity-heading" class="h4">${ctx.t('account.identity')}</h2>
    <p>${text}</p>
  </section>`;
}

export type AreaNotice = 'pin_changed' | 'pin_revoked' | 'password_changed' | `${ContactKind}_changed`;
const noticeTexts = { pin_changed: 'pin.change.done', pin_revoked: 'pin.revoked', password_changed: 'password.changed',
  email_changed: 'contacts.changed.email', mobile_changed: 'contacts.changed.mobile', pec_changed: 'contacts.changed.pec' } as const;

export function areaBody(ctx: PageContext, account: AccountView, events: ActivityEntry[], extras: AreaExtras, notice?: AreaNotice): Html {
  return html`${notice ? alert('success', ctx.t(noticeTexts[notice])) : ''}<p class="lead">${ctx.t('area.welcome', { name: `${account.firstName} ${account.lastName}` })}</p>
  <section aria-labelledby="profile-heading" class="mb-4">
    <h2 id="profile-heading" class="h4">${ctx.t('area.profile')}</h2>
    <dl>
      ${row(ctx, ctx.t('account.name'), `${account.firstName} ${account.lastName}`)}
      ${row(ctx, ctx.t('signIn.codiceFiscale'), account.codiceFiscale)}
      ${row(ctx, ctx.t('account.birthDate'), extras.birthDate ? formatDay(ctx, extras.birthDate) : null)}
    </dl>
  </section>
  <section aria-labelledby="contacts-heading" class="mb-4">
    <h2 id="contacts-heading" class="h4">${ctx.t('account.contacts')}</h2>
    <dl>
      ${contactRow(ctx, 'email', account.email, account.emailVerified, extras.pendingContacts.email)}
      ${contactRow(ctx, 'mobile', account.mobile, account.mobileVerified, extras.pendingContacts.mobile)}
      ${contactRow(ctx, 'pec', account.pec, extras.pecVerified, extras.pendingContacts.pec)}
    </dl>
    <p class="small">${ctx.t('account.contacts.hint')}</p>
  </section>
  <section aria-labelledby="credentials-heading" class="mb-4">
    <h2 id="credentials-heading" class="h4">${ctx.t('account.credentials')}</h2>
    ${passwordSection(ctx, account, extras)}
  </section>
  ${pinSection(ctx, account.pin.state)}
  ${identitySection(ctx, extras.identity)}
  <section aria-labelledby="access-heading" class="mb-4">
    <h2 id="access-heading" class="h4">${ctx.t('account.access')}</h2>
    <p class="mb-1">${extras.sessions > 1 ? ctx.t('account.sessions.count', { count: extras.sessions }) : ctx.t('account.sessions.one')}</p>
    <a class="btn btn-outline-primary mb-3" href="/area/sessions">${ctx.t('account.sessions')}</a>
    <p class="mb-1">${ctx.t('account.services.count', { count: extras.services })}</p>
    <a class="btn btn-outline-primary" href="/area/services">${ctx.t('account.services')}</a>
  </section>
  <section aria-labelledby="activity-heading" class="mb-4">
    <h2 id="activity-heading" class="h4">${ctx.t('area.activity')}</h2>
    ${activityList(ctx, events)}
  </section>
  <section aria-labelledby="advice-heading" class="mb-4">
    <h2 id="advice-heading" class="h4">${ctx.t('account.advice')}</h2>
    <ul>
      <li>${ctx.t('account.advice.never')}</li>
      <li>${ctx.t('account.advice.contacts')}</li>
      <li>${ctx.t('account.advice.notMe')}</li>
    </ul>
  </section>`;
}
