// S9, S15, S22, S30, S31 of SECURITY.md: what follows EVERY password or PIN change, in one
// place, inside the caller's transaction. Paths set the new secret and call this hook; they
// never end sessions, void secrets, clear the lock, audit the change or notify by hand, so a
// new path (SPID/CIE recovery, enrolment) cannot forget one of them. Kratos does the same
// with one session destroyer hook for login, recovery and settings.
//
// The caller hashes BEFORE opening the transaction: recordAudit locks the audit chain head,
// and no argon2 hash may run while that lock is held (it would serialise every writer).
import type { OutgoingMessage } from '../../delivery/message.ts';
import type { AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit, type AuditEvent } from '../../store/audit.repo.ts';
import type { Queryable } from '../../store/db.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { wasntMeLink } from '../notices/wasnt-me.ts';
import { endWhatAChangeVoids } from './after-change.repo.ts';

type Notice = { what: 'password' | 'pin' | 'pin_revoked' } | 'own';

interface AfterChangeRule {
  /** S22: 'all' ends every session; 'others' keeps the session the citizen made the change from. */
  sessions: 'all' | 'others';
  /** S15: a completed recovery, or a credential issued by the desk or the admin, clears the sign-in lock. */
  clearsLock: boolean;
  /** S31: the audit event of the change. */
  audit: string;
  /** S30: `credential_changed` saying what changed, or 'own': the path's own message carries the news (and the secret). */
  notice: Notice;
}

/** The whole policy on one screen. S9 needs no column: every kind voids every outstanding secret of the account. */
export const afterChangeRules = {
  password_change: { sessions: 'others', clearsLock: false, audit: 'password_changed', notice: { what: 'password' } },
  password_recovery: { sessions: 'all', clearsLock: true, audit: 'password_reset', notice: { what: 'password' } },
  spid_recovery: { sessions: 'others', clearsLock: true, audit: 'password_reset', notice: { what: 'password' } },
  desk_temporary_password: { sessions: 'all', clearsLock: true, audit: 'temporary_password_issued', notice: 'own' },
  admin_temporary_password: { sessions: 'all', clearsLock: true, audit: 'account_registered', notice: 'own' },
  pin_issue: { sessions: 'all', clearsLock: true, audit: 'pin_issued', notice: 'own' },
  pin_first_access: { sessions: 'others', clearsLock: false, audit: 'pin_changed', notice: { what: 'pin' } },
  pin_change: { sessions: 'others', clearsLock: false, audit: 'pin_changed', notice: { what: 'pin' } },
  pin_recovery: { sessions: 'all', clearsLock: true, audit: 'pin_recovered', notice: 'own' },
  pin_revocation: { sessions: 'others', clearsLock: false, audit: 'pin_revoked', notice: { what: 'pin_revoked' } },
} as const satisfies Record<string, AfterChangeRule>;

export type CredentialChangeKind = keyof typeof afterChangeRules;

export interface CredentialChange {
  kind: CredentialChangeKind;
  account: AccountRow;
  actor: string;
  /** The citizen's own session, kept where the rule says 'others'; without it every session ends. */
  keepSessionIdHash?: string;
  /** The path's own messages, for kinds whose notice is 'own' (temporary password, PIN halves). */
  messages?: readonly OutgoingMessage[];
  details?: AuditEvent['details'];
}

/** Applies the rules of `change.kind`; the caller owns the transaction and has already stored the new secret. */
export async function afterCredentialChange(
  tx: Queryable,
  deps: Pick<FlowDeps, 'clock' | 'outbox' | 'random' | 'config'>,
  change: CredentialChange,
  meta: RequestMeta,
): Promise<void> {
  const rule: AfterChangeRule = afterChangeRules[change.kind];
  const now = deps.clock.now();
  const { account } = change;
  // S22 sessions; S9: links, codes, verification codes and pending PIN changes issued before the
  // change die with it; S15 the lock where the rule clears it. One statement.
  await endWhatAChangeVoids(tx, {
    accountId: account.id, keepSessionIdHash: rule.sessions === 'others' ? change.keepSessionIdHash : undefined,
    clearGuardOf: rule.clearsLock ? account.codice_fiscale : null, now,
  });
  await recordAudit(tx, now, {
    type: rule.audit, actor: change.actor, accountId: account.id, ...meta, outcome: 'success', ...(change.details ? { details: change.details } : {}),
  });
  await notify(tx, deps, rule.notice, change, { at: now.toISOString(), ip: meta.ip });
}

async function notify(tx: Queryable, deps: Pick<FlowDeps, 'outbox' | 'clock' | 'random' | 'config'>, notice: Notice, change: CredentialChange, when: { at: string; ip: string }) {
  if (notice === 'own') {
    for (const message of change.messages ?? []) await deps.outbox.enqueue(tx, message);
    return;
  }
  const { account } = change;
  if (!account.email) return;
  await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'credential_changed', language: account.language,
    params: { what: notice.what, ...when, wasntMeUrl: await wasntMeLink(tx, deps, account.id) } });
}
