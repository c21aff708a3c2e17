// The citizen's active sessions: which device, from where, when last used; ending one, or
// every other one. Each end is audited in the same transaction that deletes the row, and the
// ended browser finds itself signed out at its next request (the row is what a cookie means).
import { approximatePlace, type Place } from '../../domain/approximate-place.ts';
import { AppError } from '../../domain/errors.ts';
import { describeUserAgent, type DeviceDescription } from '../../domain/user-agent.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import { deleteAccountSessions, deleteSessionByPublicId, listLiveSessions } from '../../store/sessions.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';

export interface SessionView {
  id: string;
  current: boolean;
  device: DeviceDescription;
  place: Place;
  method: string;
  signedInAt: Date;
  lastUsedAt: Date;
}

/** Whose sessions, and which one is asking. */
export interface SessionOwner {
  accountId: string;
  codiceFiscale: string;
  currentIdHash: string;
}

/** Sessions within both timeouts (the routes give the window, from web/session.ts). */
export interface LiveWindow {
  idleSeconds: number;
  absoluteSeconds: number;
}

export async function activeSessions(deps: Pick<FlowDeps, 'db' | 'clock'>, owner: SessionOwner, window: LiveWindow): Promise<SessionView[]> {
  const now = deps.clock.now().getTime();
  const rows = await listLiveSessions(deps.db, owner.accountId, {
    seenAfter: new Date(now - window.idleSeconds * 1000), createdAfter: new Date(now - window.absoluteSeconds * 1000),
  });
  const views = rows.map((row) => ({
    id: row.public_id,
    current: row.id_hash === owner.currentIdHash,
    device: describeUserAgent(row.user_agent),
    place: approximatePlace(row.ip),
    method: row.auth_method,
    signedInAt: row.created_at,
    lastUsedAt: row.last_seen_at,
  }));
  // The session asking comes first: "this device".
  return [...views.filter((view) => view.current), ...views.filter((view) => !view.current)];
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ends one of the citizen's sessions (the current one too, which is a sign-out). Unknown or another account's: 404. */
export async function endSession(deps: Pick<FlowDeps, 'db' | 'clock'>, owner: SessionOwner, sessionId: string, meta: RequestMeta): Promise<{ wasCurrent: boolean }> {
  if (!uuidPattern.test(sessionId)) throw new AppError('not_found');
  return deps.db.transaction(async (tx) => {
    const ended = await deleteSessionByPublicId(tx, owner.accountId, sessionId.toLowerCase());
    if (!ended) throw new AppError('not_found');
    const wasCurrent = ended.id_hash === owner.currentIdHash;
    await recordAudit(tx, deps.clock.now(), {
      type: 'session_ended', actor: `citizen:${owner.codiceFiscale}`, accountId: owner.accountId, ...meta, outcome: 'success',
      details: { current: wasCurrent },
    });
    return { wasCurrent };
  });
}

/** "End every other session": all but the one asking. Returns how many ended. */
export async function endOtherSessions(deps: Pick<FlowDeps, 'db' | 'clock'>, owner: SessionOwner, meta: RequestMeta): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const ended = await deleteAccountSessions(tx, owner.accountId, owner.currentIdHash);
    await recordAudit(tx, deps.clock.now(), {
      type: 'other_sessions_ended', actor: `citizen:${owner.codiceFiscale}`, accountId: owner.accountId, ...meta, outcome: 'success',
      details: { ended },
    });
    return ended;
  });
}
