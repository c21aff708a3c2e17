// The password strategy: a temporary password past its 72 hours no longer opens anything.
import { localAcr } from '../../../domain/assurance.ts';
import { normalisePassword } from '../../../domain/password-policy.ts';
import type { LocalSecretStrategy } from './strategy.ts';

export const passwordStrategy: LocalSecretStrategy = {
  method: 'password',
  acr: localAcr('password'),
  usableHash(account, now) {
    if (!account) return null;
    const temporaryExpired = account.password_temporary_until !== null && account.password_temporary_until <= now;
    return temporaryExpired ? null : account.password_hash;
  },
  normalise: normalisePassword,
  rehashes: true,
};
