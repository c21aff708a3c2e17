// S19: a new random session id at every sign-in; only its hash is stored.
import { hashToken, newToken } from '../../domain/secrets.ts';
import type { AuthMethod } from '../../domain/required-actions.ts';
import type { Queryable } from '../../store/db.ts';
import { insertSession } from '../../store/sessions.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';

export async function openSession(
  tx: Queryable,
  deps: Pick<FlowDeps, 'random' | 'clock'>,
  session: { accountId: string; authMethod: AuthMethod; acr?: string | null; provider?: string | null; loginFlowId?: string | null },
  meta: RequestMeta,
): Promise<string> {
  const sessionId = newToken(deps.random);
  await insertSession(tx, { idHash: hashToken(sessionId), ...session, ip: meta.ip, userAgent: meta.userAgent.slice(0, 300) }, deps.clock.now());
  return sessionId;
}
