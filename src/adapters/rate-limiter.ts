// S17 of SECURITY.md: rate limits. Issue 14: counted in memory per instance by default (no
// database write per request), in Redis across instances when REDIS_URL is set; the
// PostgreSQL limiter stays for deployments that want a shared count without Redis. Fixed
// windows: simple, and a burst at a window edge is at most twice the limit, which the
// lockout and captcha bound further.
import { Redis } from 'ioredis';
import type { Db } from '../store/db.ts';
import { countHit, deleteWindowsBefore } from './rate-limits.repo.ts';

export interface RateLimitDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

function windowOf(now: Date, windowSeconds: number): { start: number; retryAfterSeconds: number } {
  const windowMs = windowSeconds * 1000;
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  return { start, retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - now.getTime()) / 1000)) };
}

/** Old windows are removed by `pruneRateLimits`, off the request path. */
export async function pruneRateLimits(db: Db, now: Date): Promise<number> {
  return deleteWindowsBefore(db, new Date(now.getTime() - 24 * 3600 * 1000));
}

export function createDbRateLimiter(db: Db): RateLimiter {
  return {
    async hit(key, limit, windowSeconds, now) {
      const { start, retryAfterSeconds } = windowOf(now, windowSeconds);
      const hits = (await countHit(db, key, new Date(start))) ?? limit + 1;
      return { allowed: hits <= limit, retryAfterSeconds };
    },
    close: async () => undefined,
  };
}

/**
 * Counts in this process only: with n instances behind a balancer an address gets up to n
 * times the limit, which is why several instances take REDIS_URL. Windows are dropped once
 * over; `maxKeys` bounds the memory an address flood can take (the oldest windows go first).
 */
export function createMemoryRateLimiter(options: { maxKeys?: number } = {}): RateLimiter {
  const maxKeys = options.maxKeys ?? 200_000;
  const windows = new Map<string, { end: number; hits: number }>();
  let nextSweep = 0;
  const sweep = (nowMs: number) => {
    nextSweep = nowMs + 10_000;
    for (const [key, window] of windows) if (window.end <= nowMs) windows.delete(key);
  };
  return {
    async hit(key, limit, windowSeconds, now) {
      const { start, retryAfterSeconds } = windowOf(now, windowSeconds);
      const nowMs = now.getTime();
      if (nowMs >= nextSweep) sweep(nowMs);
      const mapKey = `${windowSeconds}:${key}`;
      let window = windows.get(mapKey);
      if (!window || window.end <= nowMs || window.end !== start + windowSeconds * 1000) {
        if (windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
        window = { end: start + windowSeconds * 1000, hits: 0 };
        windows.set(mapKey, window);
      }
      window.hits += 1;
      return { allowed: window.hits <= limit, retryAfterSeconds };
    },
    close: async () => void windows.clear(),
  };
}

/** `prefix` keeps deployments (and test runs) sharing one Redis apart. */
export function createRedisRateLimiter(url: string, options: { prefix?: string } = {}): RateLimiter {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
  const prefix = options.prefix ?? 'varco';
  return {
    async hit(key, limit, windowSeconds, now) {
      const { start, retryAfterSeconds } = windowOf(now, windowSeconds);
      const redisKey = `${prefix}:rl:${key}:${start}`;
      const [[, hits]] = (await redis.multi().incr(redisKey).expire(redisKey, windowSeconds + 1).exec()) as [[null, number], unknown];
      return { allowed: hits <= limit, retryAfterSeconds };
    },
    close: async () => void (await redis.quit()),
  };
}
