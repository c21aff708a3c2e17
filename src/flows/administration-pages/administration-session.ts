// An administration signs in to its pages with its API token, once: the token is checked
// and exchanged for a short-lived web session (its own cookie, idle and absolute limits), so
// the token itself is never kept in a URL, a cookie or the browser's history.
import { AppError } from '../../domain/errors.ts';
import { hashToken, newToken } from '../../domain/secrets.ts';
import { findApiPrincipal } from '../../store/api-tokens.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { FlowDeps } from '../deps.ts';
import { requireWithinLimit } from '../rate-limit.ts';
import type { RequestMeta } from '../request-meta.ts';
import { findAdministration } from '../enrolment/enrolment.repo.ts';
import {
  deleteAdministrationSession, deleteExpiredAdministrationSessions, insertAdministrationSession, touchAdministrationSession,
} from './administration-session.repo.ts';

export const administrationIdleSeconds = 30 * 60;
export const administrationAbsoluteSeconds = 8 * 60 * 60;
const signInsPerIpPer15Minutes = 10;

export interface SignedInAdministration {
  id: string;
  code: string;
  name: string;
  sessionIdHash: string;
}

/** Checks the token; returns the id of a new session (for the cookie, never stored). */
export async function signInAdministration(deps: FlowDeps, token: string, meta: RequestMeta): Promise<string> {
  await requireWithinLimit(deps, `administration-signin:ip:${meta.ip}`, signInsPerIpPer15Minutes, 15 * 60);
  const wellFormed = /^[A-Za-z0-9._~+/=-]{16,200}$/.test(token);
  const principal = wellFormed ? await findApiPrincipal(deps.db, hashToken(token)) : null;
  const administration = principal?.role === 'administration' && principal.subjectId ? await findAdministration(deps.db, principal.subjectId) : null;
  if (!administration) {
    await recordAudit(deps.db, deps.clock.now(), { type: 'administration_sign_in_failed', actor: 'anonymous', ...meta, outcome: 'failure' });
    throw new AppError('invalid_credentials');
  }
  const sessionId = newToken(deps.random);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await insertAdministrationSession(tx, hashToken(sessionId), administration.id, now);
    await recordAudit(tx, now, { type: 'administration_signed_in', actor: `administration:${administration.id}`, ...meta, outcome: 'success' });
  });
  return sessionId;
}

const idleSince = (now: Date) => new Date(now.getTime() - administrationIdleSeconds * 1000);
const openedSince = (now: Date) => new Date(now.getTime() - administrationAbsoluteSeconds * 1000);

/** The administration of a session cookie, if the session is live. */
export async function administrationOfSession(deps: Pick<FlowDeps, 'db' | 'clock'>, sessionId: string | undefined): Promise<SignedInAdministration | null> {
  if (!sessionId || sessionId.length > 100) return null;
  const idHash = hashToken(sessionId);
  const now = deps.clock.now();
  const administration = await touchAdministrationSession(deps.db, idHash, now, idleSince(now), openedSince(now));
  return administration ? { ...administration, sessionIdHash: idHash } : null;
}

export async function signOutAdministration(deps: Pick<FlowDeps, 'db'>, sessionId: string | undefined): Promise<void> {
  if (sessionId && sessionId.length <= 100) await deleteAdministrationSession(deps.db, hashToken(sessionId));
}

/** Housekeeping (hourly, main.ts): sessions past their idle or absolute limit can never be used again. */
export async function pruneAdministrationSessions(deps: Pick<FlowDeps, 'db' | 'clock'>): Promise<number> {
  const now = deps.clock.now();
  return deleteExpiredAdministrationSessions(deps.db, idleSince(now), openedSince(now));
}
