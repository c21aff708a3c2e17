// S17 of SECURITY.md: rate limits shared across instances, in PostgreSQL by default or in
// Redis when REDIS_URL is set. Fixed windows: simple, and a burst at a window edge is at
// most twice the limit, which the lockout and captcha bound further.
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

export function createRedisRateLimiter(url: string): RateLimiter {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
  return {
    async hit(key, limit, windowSeconds, now) {
      const { start, retryAfterSeconds } = windowOf(now, windowSeconds);
      const redisKey = `varco:rl:${key}:${start}`;
      const [[, hits]] = (await redis.multi().incr(redisKey).expire(redisKey, windowSeconds + 1).exec()) as [[null, number], unknown];
      return { allowed: hits <= limit, retryAfterSeconds };
    },
    close: async () => void (await redis.quit()),
  };
}
