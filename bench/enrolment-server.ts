// The service for the enrolment benchmark, in its own process so that its memory is its own:
// builds the app on an isolated PostgreSQL schema, prints its port, and on request reports
// the peak RSS growth it sampled and the CPU time it used since the last 'reset'.
import { createDbRateLimiter } from '../src/adapters/rate-limiter.ts';
import { createArgon2Hasher } from '../src/adapters/argon2.hasher.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createOutbox } from '../src/delivery/outbox.ts';
import { messageTemplates } from '../src/flows/manifest.ts';
import { cryptoRandom, systemClock } from '../src/domain/clock.ts';
import { hashToken } from '../src/domain/secrets.ts';
import { insertApiToken } from '../src/store/api-tokens.repo.ts';
import { openIsolatedPostgres } from '../test/helpers/db.ts';

const url = process.argv[2]!;
const adminToken = 'bench-platform-admin-token-0123456789';
const db = await openIsolatedPostgres(url);
const config = loadConfig({ SESSION_SECRET: 'b'.repeat(32), LOG_LEVEL: 'warn', SEED_DEMO_DATA: 'off' });
const deps = { db, config, clock: systemClock, random: cryptoRandom, hasher: createArgon2Hasher(), limiter: createDbRateLimiter(db),
  outbox: createOutbox({ clock: systemClock, devMailbox: false, templates: messageTemplates() }) };
await insertApiToken(db, { tokenHash: hashToken(adminToken), role: 'platform_admin', subjectId: null }, systemClock.now());
const app = await buildApp(deps, { logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();

let baseline = process.memoryUsage();
let cpuBaseline = process.cpuUsage();
let peak = baseline.rss;
let peakHeap = baseline.heapTotal;
let peakExternal = baseline.external;
setInterval(() => {
  const now = process.memoryUsage();
  peak = Math.max(peak, now.rss);
  peakHeap = Math.max(peakHeap, now.heapTotal);
  peakExternal = Math.max(peakExternal, now.external);
}, 20).unref();

process.on('message', async (message: string) => {
  if (message === 'reset') {
    global.gc?.();
    baseline = process.memoryUsage();
    cpuBaseline = process.cpuUsage();
    peak = baseline.rss;
    peakHeap = baseline.heapTotal;
    peakExternal = baseline.external;
    process.send!({ reset: true });
  } else if (message === 'report') {
    const counts = await db.query<{ accounts: number; notices: number }>(
      `SELECT (SELECT count(*)::int FROM accounts) AS accounts, (SELECT count(*)::int FROM outbox WHERE kind = 'enrolment_notice') AS notices`);
    const cpu = process.cpuUsage(cpuBaseline);
    process.send!({ cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssGrowthBytes: peak - baseline.rss, peakHeapGrowthBytes: peakHeap - baseline.heapTotal,
      peakExternalGrowthBytes: peakExternal - baseline.external, ...counts.rows[0] });
  } else if (message === 'stop') {
    await app.close();
    await db.close();
    process.exit(0);
  }
});
process.send!({ port: typeof address === 'object' && address ? address.port : 0, adminToken });
