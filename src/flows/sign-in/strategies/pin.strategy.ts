// The PIN strategy: an initial (16-character) or active (8-character) PIN; revoked ones never.
import { localAcr } from '../../../domain/assurance.ts';
import type { LocalSecretStrategy } from './strategy.ts';

export const pinStrategy: LocalSecretStrategy = {
  method: 'pin',
  acr: localAcr('pin'),
  usableHash(account) {
    if (!account) return null;
    return account.pin_state === 'initial' || account.pin_state === 'active' ? account.pin_hash : null;
  },
  normalise: (pin) => pin,
  rehashes: false,
};
