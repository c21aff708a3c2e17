// S19: a new random session id at every sign-in and privilege change; only its hash is stored.
import type { Acr } from '../../domain/assurance.ts';
import type { AuthMethod } from '../../domain/required-actions.ts';
import { deviceHashOf, deviceTokenFor } from '../../domain/device.ts';
import { hashToken, newToken } from '../../domain/secrets.ts';
import type { Queryable } from '../../store/db.ts';
import { insertSession, renameSession } from '../../store/sessions.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';

export interface SessionOpening {
  accountId: string;
  authMethod: AuthMethod;
  acr: Acr;
  provider?: string | null;
  loginFlowId?: string | null;
}

export async function openSession(
  tx: Queryable,
  deps: Pick<FlowDeps, 'random' | 'clock'>,
  session: SessionOpening,
  meta: RequestMeta,
): Promise<string> {
  const sessionId = newToken(deps.random);
  // The browser's device: its cookie, or the value the reply will give it (domain/device.ts).
  const deviceHash = meta.deviceHash ?? deviceHashOf(deviceTokenFor(sessionId));
  await insertSession(tx, { idHash: hashToken(sessionId), ...session, ip: meta.ip, userAgent: meta.userAgent.slice(0, 300), deviceHash }, deps.clock.now());
  return sessionId;
}

/** Gives the current session a new id (S19); null when it no longer exists. */
export async function rotateSessionId(tx: Queryable, deps: Pick<FlowDeps, 'random' | 'clock'>, idHash: string): Promise<string | null> {
  const sessionId = newToken(deps.random);
  return (await renameSession(tx, idHash, hashToken(sessionId), deps.clock.now())) ? sessionId : null;
}
