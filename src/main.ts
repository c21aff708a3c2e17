// Composition root: configuration, adapters, flows, server, outbox worker; then listen.
import { createArgon2Hasher } from './adapters/argon2.hasher.ts';
import { createDbRateLimiter, createRedisRateLimiter, pruneRateLimits } from './adapters/rate-limiter.ts';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createChannels } from './delivery/channels/index.ts';
import { createOutbox } from './delivery/outbox.ts';
import { createOutboxWorker } from './delivery/outbox.worker.ts';
import { seedDemoData } from './dev/seed.ts';
import { expireAndPurgeRequests } from './flows/assistance/assistance.steps.ts';
import { sendPasswordExpiryWarnings } from './flows/password-expiry/password-expiry.steps.ts';
import { pruneLoginFlows } from './flows/sign-in/login-flow.steps.ts';
import { cryptoRandom, systemClock } from './domain/clock.ts';
import { hashToken } from './domain/secrets.ts';
import { insertApiToken } from './store/api-tokens.repo.ts';
import { openDb } from './store/db.ts';
import { migrate } from './store/migrate.ts';

const workerIntervalMs = 500;
const housekeepingIntervalMs = 60 * 60 * 1000; // hourly: expiry warnings, assistance requests, rate-limit windows, login flows

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDb(config.databaseUrl, config.dataDir);
  await migrate(db);
  const deps = {
    db, config, clock: systemClock, random: cryptoRandom, hasher: createArgon2Hasher(),
    limiter: config.redisUrl ? createRedisRateLimiter(config.redisUrl) : createDbRateLimiter(db),
    outbox: createOutbox({ clock: systemClock, devMailbox: config.env !== 'production' }),
  };
  if (config.bootstrapAdminToken) {
    await insertApiToken(db, { tokenHash: hashToken(config.bootstrapAdminToken), role: 'platform_admin', subjectId: null }, systemClock.now());
  }
  const app = await buildApp(deps);
  const channels = createChannels(config);
  const worker = createOutboxWorker({ db, clock: systemClock, channels, logger: app.log });
  worker.start(workerIntervalMs);
  const housekeeping = setInterval(() => {
    sendPasswordExpiryWarnings(deps).catch((error: unknown) => app.log.error({ err: error }, 'expiry warnings failed'));
    expireAndPurgeRequests(deps).catch((error: unknown) => app.log.error({ err: error }, 'assistance housekeeping failed'));
    pruneRateLimits(db, systemClock.now()).catch((error: unknown) => app.log.error({ err: error }, 'rate limit pruning failed'));
    pruneLoginFlows(deps).catch((error: unknown) => app.log.error({ err: error }, 'login flow pruning failed'));
  }, housekeepingIntervalMs);
  housekeeping.unref();

  const shutdown = async () => {
    clearInterval(housekeeping);
    await worker.stop();
    for (const channel of new Set(Object.values(channels))) channel.close?.();
    await app.close();
    await deps.limiter.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  await app.listen({ host: config.host, port: config.port });
  if (config.seedDemoData) {
    const lines = await seedDemoData(deps);
    console.log(['', `Varco is running at ${config.publicUrl}`, `Development mailbox: ${config.publicUrl}/dev/outbox`, ...lines, ''].join('\n'));
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Varco cannot start: ${error.message}`);
    process.exit(78); // EX_CONFIG
  }
  console.error(error);
  process.exit(1);
});
