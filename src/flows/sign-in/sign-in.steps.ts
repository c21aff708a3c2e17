// Sign-in with codice fiscale and password or PIN (API: POST /api/v1/session; the page
// POST /signin): the chosen local strategy accepts the secret, the login flow opens the
// session and says where the browser goes next.
import type { RequiredAction } from '../../domain/required-actions.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { finishLoginFlow } from './login-flow.steps.ts';
import { acceptLocalSecret } from './strategies/local-secret.ts';
import { passwordStrategy } from './strategies/password.strategy.ts';
import { pinStrategy } from './strategies/pin.strategy.ts';

export type SignInSecret = { kind: 'password'; value: string } | { kind: 'pin'; value: string };

export interface SignInResult {
  sessionId: string;
  codiceFiscale: string;
  requiredActions: RequiredAction[];
  /** Where the browser goes: the first required action's page, or where the flow came from. */
  next: string;
}

const localStrategies = { password: passwordStrategy, pin: pinStrategy } as const;

// Other entry points take these from here.
export { limitByAddress, requireCodiceFiscale } from './sign-in.guards.ts';

export async function signIn(
  deps: FlowDeps,
  input: { codiceFiscale: string; secret: SignInSecret; flowId?: string | null },
  meta: RequestMeta,
): Promise<SignInResult> {
  const strategy = localStrategies[input.secret.kind];
  const { deviceIsNews, ...accepted } = await acceptLocalSecret(deps, strategy, { codiceFiscale: input.codiceFiscale, secret: input.secret.value }, meta);
  // One write after the hash: the guard cleared, the flow, the audit event, the session, the device.
  const finished = await finishLoginFlow(deps, input.flowId ?? null, { accountId: accepted.account.id, ...accepted }, meta,
    { clearGuardOf: accepted.account.codice_fiscale, deviceIsNews });
  return { ...finished, codiceFiscale: accepted.account.codice_fiscale };
}
