// S1, S3, S15, S17: how a local strategy accepts a secret. The address limit and the
// codice fiscale come first; the lockout counts the attempt before the hash is verified,
// and an unknown account costs the same verification against a dummy hash.
import { AppError } from '../../../domain/errors.ts';
import { findAccountByCodiceFiscale, rehashPassword } from '../../../store/accounts.repo.ts';
import type { FlowDeps } from '../../deps.ts';
import type { RequestMeta } from '../../request-meta.ts';
import { limitByAddress, requireCodiceFiscale } from '../sign-in.guards.ts';
import { verifyWithLockout } from '../verify-with-lockout.ts';
import type { AcceptedSignIn, LocalSecretStrategy } from './strategy.ts';

export async function acceptLocalSecret(
  deps: FlowDeps,
  strategy: LocalSecretStrategy,
  input: { codiceFiscale: string; secret: string },
  meta: RequestMeta,
): Promise<AcceptedSignIn> {
  await limitByAddress(deps, 'sign-in', meta.ip, deps.config.signInPerIpPerMinute);
  const codiceFiscale = requireCodiceFiscale(input.codiceFiscale);
  const account = await findAccountByCodiceFiscale(deps.db, codiceFiscale);
  const storedHash = strategy.usableHash(account, deps.clock.now());
  const secret = strategy.normalise(input.secret);
  await verifyWithLockout(deps, { codiceFiscale, account, storedHash, secret }, meta);
  if (!account || !storedHash) throw new AppError('invalid_credentials'); // unreachable: verification failed

  if (strategy.rehashes && deps.hasher.needsRehash(storedHash)) {
    await rehashPassword(deps.db, account.id, storedHash, await deps.hasher.hash(secret));
  }
  return { account, method: strategy.method, acr: strategy.acr };
}
