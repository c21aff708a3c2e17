// The SPID and CIE strategies: the proof is a SAML assertion the federation layer has already
// checked (src/flows/federation, SPID.md 23-32); the strategy says how strongly it
// authenticates and hands the account to the login flow like password and PIN do, so required
// actions, S19, the audit and `signedInWith` are one path for every method. The flow must be
// the one that sent the AuthnRequest and still waiting for its assertion: a request ID is
// answered once (a replay gets LoginFlowAlreadyAnswered, nothing is written).
import { spidAcr, type Acr, type SpidLevel } from '../../../domain/assurance.ts';
import type { AccountRow } from '../../../store/accounts.repo.ts';
import type { FlowDeps } from '../../deps.ts';
import type { RequestMeta } from '../../request-meta.ts';
import { finishLoginFlow, type FinishedLogin } from '../login-flow.steps.ts';

export interface FederatedStrategy {
  method: 'spid' | 'cie';
  /** The acr of an assertion at this SPID level (CIE is always card + PIN). */
  acr(level: SpidLevel): Acr;
}

export const spidStrategy: FederatedStrategy = { method: 'spid', acr: spidAcr };
export const cieStrategy: FederatedStrategy = { method: 'cie', acr: () => 'urn:varco:acr:cie' };
export const federatedStrategies = { spid: spidStrategy, cie: cieStrategy } as const;

export interface AcceptedAssertion {
  account: AccountRow;
  /** The IdP's entityID. */
  provider: string;
  level: SpidLevel;
  /** The login flow of the AuthnRequest (the RelayState). */
  flowId: string;
}

export async function acceptAssertion(deps: FlowDeps, strategy: FederatedStrategy, accepted: AcceptedAssertion, meta: RequestMeta): Promise<FinishedLogin> {
  return finishLoginFlow(deps, accepted.flowId, {
    accountId: accepted.account.id, account: accepted.account, method: strategy.method, acr: strategy.acr(accepted.level), provider: accepted.provider,
  }, meta, { answering: 'awaiting_assertion' });
}
