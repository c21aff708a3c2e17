// The one place a SPID/CIE sign-in opens a session. When the login flow lands on main
// (finishLoginFlow) this function is rerouted through it; callers do not change.
import type { Acr } from '../../domain/assurance.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { openSession } from '../sign-in/open-session.ts';

export interface FederatedSignIn {
  accountId: string;
  codiceFiscale: string;
  method: 'spid' | 'cie';
  acr: Acr;
  provider: string;
  level: number;
  loginFlowId: string;
}

export async function signInFederated(deps: Pick<FlowDeps, 'db' | 'clock' | 'random'>, input: FederatedSignIn, meta: RequestMeta): Promise<string> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await recordAudit(tx, now, {
      type: 'sign_in', actor: `citizen:${input.codiceFiscale}`, accountId: input.accountId, ...meta, outcome: 'success',
      details: { method: input.method, provider: input.provider, level: input.level },
    });
    return openSession(tx, deps, {
      accountId: input.accountId, authMethod: input.method, acr: input.acr, provider: input.provider, loginFlowId: input.loginFlowId,
    }, meta);
  });
}
