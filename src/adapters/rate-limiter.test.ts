// The rate limiter on PostgreSQL/PGlite always, and on Redis when TEST_REDIS_URL is set (CI).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { openTestDb, runningInCi, testRedisUrl } from '../../test/helpers/db.ts';
import { createDbRateLimiter, createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from './rate-limiter.ts';

const redisUrl = testRedisUrl;
if (runningInCi && !redisUrl) throw new Error('CI must set TEST_REDIS_URL');

const kinds: [string, () => Promise<{ limiter: RateLimiter; close(): Promise<void> }>][] = [
  ['database', async () => { const db = await openTestDb(); const limiter = createDbRateLimiter(db); return { limiter, close: () => db.close() }; }],
  ['memory', async () => { const limiter = createMemoryRateLimiter(); return { limiter, close: () => limiter.close() }; }],
];
if (redisUrl) kinds.push(['redis', async () => { const limiter = createRedisRateLimiter(redisUrl); return { limiter, close: () => limiter.close() }; }]);

for (const [kind, open] of kinds) {
  describe(`rate limiter on ${kind}`, () => {
    const opened = open();
    after(async () => (await opened).close());
    const now = new Date('2026-11-24T10:00:30Z');

    test('allows the limit, refuses the next with the seconds left in the window', async () => {
      const { limiter } = await opened;
      const key = `test:${randomBytes(4).toString('hex')}`;
      for (let i = 0; i < 3; i++) assert.equal((await limiter.hit(key, 3, 60, now)).allowed, true);
      const refused = await limiter.hit(key, 3, 60, now);
      assert.deepEqual(refused, { allowed: false, retryAfterSeconds: 30 });
      assert.equal((await limiter.hit(key, 3, 60, new Date('2026-11-24T10:01:00Z'))).allowed, true, 'a new window');
    });

    test('parallel hits are counted exactly', async () => {
      const { limiter } = await opened;
      const key = `test:${randomBytes(4).toString('hex')}`;
      const results = await Promise.all(Array.from({ length: 30 }, () => limiter.hit(key, 10, 60, now)));
      assert.equal(results.filter((r) => r.allowed).length, 10);
    });
  });
}
