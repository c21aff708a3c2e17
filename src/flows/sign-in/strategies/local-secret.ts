// S1, S3, S15, S17: how a local strategy accepts a secret. The address limit and the
// codice fiscale come first; the lockout counts the attempt before the hash is verified,
// and an unknown account costs the same verification against a dummy hash. Issue 14: one
// statement before the hash (the account with its guard and what it knows of the browser,
// and the attempt counted when the guard is fresh; a second one counts it otherwise) and the
// guard's clearing left to the login flow's one write after it.
import { AppError } from '../../../domain/errors.ts';
import { rehashPassword } from '../../../store/accounts.repo.ts';
import { reserveFromFresh } from '../../../domain/lockout.ts';
import { findAccountCountingAttempt } from '../../../store/sign-in-guards.repo.ts';
import { requireHashCapacity } from '../../back-pressure.ts';
import type { FlowDeps } from '../../deps.ts';
import { deviceIsNews } from '../../notices/new-device.ts';
import type { RequestMeta } from '../../request-meta.ts';
import { limitByAddress, requireCodiceFiscale } from '../sign-in.guards.ts';
import { lockoutPolicy, verifyWithLockout } from '../verify-with-lockout.ts';
import type { AcceptedSignIn, LocalSecretStrategy } from './strategy.ts';

export async function acceptLocalSecret(
  deps: FlowDeps,
  strategy: LocalSecretStrategy,
  input: { codiceFiscale: string; secret: string },
  meta: RequestMeta,
): Promise<AcceptedSignIn & { deviceIsNews: boolean }> {
  await limitByAddress(deps, 'sign-in', meta.ip, deps.config.signInPerIpPerMinute);
  const codiceFiscale = requireCodiceFiscale(input.codiceFiscale);
  const secret = strategy.normalise(input.secret);
  requireHashCapacity(deps); // before any database work: a refusal under load costs nothing
  const now = deps.clock.now();
  const fromFresh = reserveFromFresh(now, lockoutPolicy(deps));
  const { account, guard, device, counted } = await findAccountCountingAttempt(deps.db, codiceFiscale, meta.deviceHash ?? null, fromFresh.state, now);
  const storedHash = strategy.usableHash(account, now);
  await verifyWithLockout(deps, { codiceFiscale, account, storedHash, secret }, meta,
    counted ? { counted: fromFresh, deferClear: true } : { knownGuard: guard, deferClear: true });
  if (!account || !storedHash) throw new AppError('invalid_credentials'); // unreachable: verification failed

  if (strategy.rehashes && deps.hasher.needsRehash(storedHash)) {
    await rehashPassword(deps.db, account.id, storedHash, await deps.hasher.hash(secret));
  }
  return { account, method: strategy.method, acr: strategy.acr, deviceIsNews: deviceIsNews(device, account) };
}
