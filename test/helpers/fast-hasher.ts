// A real argon2id hasher with tiny parameters, for suites that sign citizens in by the dozen and
// test something other than hashing (the whole-service sweeps of test/security): every request
// walks the same code, a hash costs a millisecond instead of tens. Its hashes never ask for a
// rehash, so a sign-in does not upgrade them midway. S11 is proved with the real parameters
// (test/api/rehash.test.ts); nothing in production can reach this file.
import { hash, verify } from '@node-rs/argon2';
import { argon2id } from '../../src/adapters/argon2.hasher.ts';
import type { Hasher } from '../../src/domain/hasher.ts';

const tiny = { algorithm: argon2id, memoryCost: 256, timeCost: 1, parallelism: 1 } as const;

export function createFastHasher(): Hasher {
  const dummy = hash('varco-dummy-secret-for-timing', tiny);
  const check = (encoded: string, secret: string) => verify(encoded, secret).catch(() => false);
  return {
    hash: (secret) => hash(secret, tiny),
    verify: check,
    needsRehash: () => false,
    verifyDummy: async (secret) => void (await check(await dummy, secret)),
    hasCapacity: () => true,
  };
}
