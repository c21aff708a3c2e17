// S11 of SECURITY.md: argon2id, m = 19456 KiB, t = 2, p = 1, unique salt per hash.
// @node-rs/argon2 runs on libuv's thread pool, so hashing never blocks the event loop.
import { Algorithm, hash, verify } from '@node-rs/argon2';
import type { Hasher } from '../domain/hasher.ts';

export const argon2Params = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const options = { algorithm: Algorithm.Argon2id, ...argon2Params };

function parseParams(encoded: string): { m: number; t: number; p: number } | null {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(encoded);
  return match ? { m: Number(match[1]), t: Number(match[2]), p: Number(match[3]) } : null;
}

export function createArgon2Hasher(): Hasher {
  const dummyHash = hash('varco-dummy-secret-for-timing', options);
  return {
    hash: (secret) => hash(secret, options),
    verify: async (encoded, secret) => {
      try {
        return await verify(encoded, secret);
      } catch {
        return false; // a malformed stored hash is a failed verification, never a crash
      }
    },
    needsRehash: (encoded) => {
      const params = parseParams(encoded);
      return (
        params === null ||
        params.m < argon2Params.memoryCost ||
        params.t < argon2Params.timeCost ||
        params.p < argon2Params.parallelism
      );
    },
    verifyDummy: async (secret) => {
      await verify(await dummyHash, secret).catch(() => false);
    },
  };
}
