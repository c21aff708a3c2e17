// S19: a new random session id at every sign-in and privilege change; only its hash is stored.
// A sign-in's session is opened by recordSignIn (sign-in-record.repo.ts); this gives an open
// session a new id when its privileges grow.
import { hashToken, newToken } from '../../domain/secrets.ts';
import type { Queryable } from '../../store/db.ts';
import { renameSession } from '../../store/sessions.repo.ts';
import type { FlowDeps } from '../deps.ts';

/** Gives the current session a new id (S19); null when it no longer exists. */
export async function rotateSessionId(tx: Queryable, deps: Pick<FlowDeps, 'random' | 'clock'>, idHash: string): Promise<string | null> {
  const sessionId = newToken(deps.random);
  return (await renameSession(tx, idHash, hashToken(sessionId), deps.clock.now())) ? sessionId : null;
}
