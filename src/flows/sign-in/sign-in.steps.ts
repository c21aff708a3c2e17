// Sign-in with codice fiscale and password or PIN (API: POST /api/v1/session).
import { parseCodiceFiscale } from '../../domain/codice-fiscale.ts';
import { AppError } from '../../domain/errors.ts';
import { normalisePassword } from '../../domain/password-policy.ts';
import { requiredActions, type RequiredAction } from '../../domain/required-actions.ts';
import { credentialState, findAccountByCodiceFiscale, rehashPassword, type AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { FlowDeps } from '../deps.ts';
import { requireWithinLimit } from '../rate-limit.ts';
import type { RequestMeta } from '../request-meta.ts';
import { expiryPolicy } from '../../config.ts';
import { openSession } from './open-session.ts';
import { verifyWithLockout } from './verify-with-lockout.ts';

export type SignInSecret = { kind: 'password'; value: string } | { kind: 'pin'; value: string };

export interface SignInResult {
  sessionId: string;
  codiceFiscale: string;
  requiredActions: RequiredAction[];
}

export function requireCodiceFiscale(input: string): string {
  const parsed = parseCodiceFiscale(input);
  if (!parsed.ok) throw new AppError('invalid_codice_fiscale', {}, `codice fiscale: ${parsed.reason}`);
  return parsed.value;
}

/** The hash a secret of this kind is checked against; none when the credential cannot be used. */
function usableHash(account: AccountRow | null, secret: SignInSecret, now: Date): string | null {
  if (!account) return null;
  if (secret.kind === 'password') {
    const temporaryExpired = account.password_temporary_until !== null && account.password_temporary_until <= now;
    return temporaryExpired ? null : account.password_hash;
  }
  return account.pin_state === 'initial' || account.pin_state === 'active' ? account.pin_hash : null;
}

/** S17: attempts from one address are bounded whatever codici fiscali they try. */
export async function limitByAddress(deps: Pick<FlowDeps, 'limiter' | 'clock'>, scope: string, ip: string, perMinute: number): Promise<void> {
  await requireWithinLimit(deps, `${scope}:ip:${ip}`, perMinute, 60);
}

export async function signIn(deps: FlowDeps, input: { codiceFiscale: string; secret: SignInSecret }, meta: RequestMeta): Promise<SignInResult> {
  await limitByAddress(deps, 'sign-in', meta.ip, deps.config.signInPerIpPerMinute);
  const codiceFiscale = requireCodiceFiscale(input.codiceFiscale);
  const account = await findAccountByCodiceFiscale(deps.db, codiceFiscale);
  const storedHash = usableHash(account, input.secret, deps.clock.now());
  const secret = input.secret.kind === 'password' ? normalisePassword(input.secret.value) : input.secret.value;
  await verifyWithLockout(deps, { codiceFiscale, account, storedHash, secret }, meta);
  if (!account || !storedHash) throw new AppError('invalid_credentials'); // unreachable: verification failed

  if (input.secret.kind === 'password' && deps.hasher.needsRehash(storedHash)) {
    await rehashPassword(deps.db, account.id, storedHash, await deps.hasher.hash(secret));
  }
  const now = deps.clock.now();
  const sessionId = await deps.db.transaction(async (tx) => {
    await recordAudit(tx, now, {
      type: 'sign_in', actor: `citizen:${codiceFiscale}`, accountId: account.id, ...meta, outcome: 'success',
      details: { method: input.secret.kind },
    });
    return openSession(tx, deps, { accountId: account.id, authMethod: input.secret.kind }, meta);
  });
  const actions = requiredActions(credentialState(account), input.secret.kind, now, expiryPolicy(deps.config));
  return { sessionId, codiceFiscale, requiredActions: actions };
}
