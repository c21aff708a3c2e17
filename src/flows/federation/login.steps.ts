// Starting a SPID / CIE sign-in: a login_flows row remembers the request ID (single use,
// expiring), the IdP, the level and where to go back; the browser only carries the row's
// id as an opaque RelayState (SPID.md item 21, S27).
import { addSeconds } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { safeReturnTo } from '../../domain/return-to.ts';
import type { FlowDeps } from '../deps.ts';
import { buildAuthnRequest, encodeForPost } from './authn-request.ts';
import type { Federation } from './federation.context.ts';
import { insertSamlFlow } from './federation-flows.repo.ts';
import { levelUri, type FederationKind, type SpidLevel } from './sp-profile.ts';

export const requestLifetimeSeconds = 15 * 60;
export const recoveryReturnTo = '/area/password';
export const pinRenewalReturnTo = '/area/pin/renew';

export interface LoginStart {
  kind: FederationKind;
  idp?: string | undefined;
  level?: SpidLevel | undefined;
  next?: string | undefined;
  /** recovery: a new password; pin: a new PIN (both at SpidL2 at least, within 10 minutes). */
  purpose?: 'recovery' | 'pin' | undefined;
}

export interface PostBinding {
  action: string;
  samlRequest: string;
  relayState: string;
}

/** Recovery needs at least SpidL2 (S13); CIE always authenticates with the card (L3). */
function levelFor(start: LoginStart): SpidLevel {
  if (start.kind === 'cie') return 3;
  const asked = start.level ?? 2;
  return start.purpose && asked < 2 ? 2 : asked;
}

export async function startFederatedLogin(deps: Pick<FlowDeps, 'db' | 'clock' | 'random'>, federation: Federation, start: LoginStart): Promise<PostBinding> {
  const providers = federation.registry.list(start.kind);
  const provider = start.kind === 'cie' && !start.idp ? providers[0] : providers.find((p) => p.entityId === start.idp);
  if (!provider) throw new AppError('invalid_request', { errors: [{ field: 'idp', message: 'unknown identity provider' }] });
  const level = levelFor(start);
  const now = deps.clock.now();
  const requestId = `_${deps.random.bytes(20).toString('hex')}`;
  const xml = buildAuthnRequest(federation.profiles[start.kind], federation.key, { id: requestId, issueInstant: now, destination: provider.ssoUrl, level });
  const flowId = await insertSamlFlow(deps.db, {
    returnTo: start.purpose === 'recovery' ? recoveryReturnTo : start.purpose === 'pin' ? pinRenewalReturnTo : safeReturnTo(start.next),
    requestedAcr: levelUri(level), method: start.kind, samlRequestId: requestId, idp: provider.entityId,
    expiresAt: addSeconds(now, requestLifetimeSeconds),
  }, now);
  return { action: provider.ssoUrl, samlRequest: encodeForPost(xml), relayState: flowId };
}
