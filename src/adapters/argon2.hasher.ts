// S11 of SECURITY.md: argon2id, m = 19456 KiB, t = 2, p = 1, unique salt per hash.
// @node-rs/argon2 runs on libuv's thread pool, so hashing never blocks the event loop.
// Issue 14: at most `concurrency` hashes run at once (one per core), the rest wait in a FIFO;
// `hasCapacity()` says whether the queue (running + waiting) is below its bound, so that
// callers can refuse at once beyond it. Two per core was tried: no better beyond the machine's
// noise, and the hash threads starved the event loop (in the SIGTERM test, sign-ins already
// sent were still unread when the drain began).
import { availableParallelism } from 'node:os';
import { hash, verify, type Options } from '@node-rs/argon2';
import type { Hasher } from '../domain/hasher.ts';

/** `Algorithm.Argon2id` of @node-rs/argon2, an ambient const enum that type stripping cannot inline. */
export const argon2id = 2 as NonNullable<Options['algorithm']>;
export const argon2Params = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const options = { algorithm: argon2id, ...argon2Params };

export interface HashQueueOptions {
  /** Hashes computed at the same time; default: the cores of the machine. */
  concurrency?: number;
  /** Hashes running or waiting beyond which hasCapacity() is false; default 64 per core. */
  queueLimit?: number;
}

function parseParams(encoded: string): { m: number; t: number; p: number } | null {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(encoded);
  return match ? { m: Number(match[1]), t: Number(match[2]), p: Number(match[3]) } : null;
}

/** A FIFO that runs at most `concurrency` jobs at once. */
function boundedRunner(concurrency: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running -= 1;
    const next = waiting.shift();
    if (next) {
      running += 1;
      next();
    }
  };
  return {
    get pending() {
      return running + waiting.length;
    },
    async run<T>(job: () => Promise<T>): Promise<T> {
      if (running < concurrency) running += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await job();
      } finally {
        release();
      }
    },
  };
}

export function createArgon2Hasher(queue: HashQueueOptions = {}): Hasher {
  const cores = availableParallelism();
  const runner = boundedRunner(queue.concurrency ?? cores);
  const queueLimit = queue.queueLimit ?? 64 * cores;
  const dummyHash = hash('varco-dummy-secret-for-timing', options);
  return {
    hash: (secret) => runner.run(() => hash(secret, options)),
    verify: (encoded, secret) =>
      runner.run(async () => {
        try {
          return await verify(encoded, secret);
        } catch {
          return false; // a malformed stored hash is a failed verification, never a crash
        }
      }),
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
      const encoded = await dummyHash;
      await runner.run(() => verify(encoded, secret).catch(() => false));
    },
    hasCapacity: () => runner.pending < queueLimit,
  };
}
