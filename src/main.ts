// Composition root: configuration, adapters, flows, server, outbox worker; then listen.
import { createArgon2Hasher } from './adapters/argon2.hasher.ts';
import { createMemoryRateLimiter, createRedisRateLimiter, pruneRateLimits } from './adapters/rate-limiter.ts';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createChannels } from './delivery/channels/index.ts';
import { createOutbox } from './delivery/outbox.ts';
import { messageTemplates } from './flows/manifest.ts';
import { createOutboxWorker } from './delivery/outbox.worker.ts';
import { seedDemoData } from './dev/seed.ts';
import { pruneExpiredPayloads } from './flows/oidc/oidc-payloads.repo.ts';
import { expireAndPurgeRequests } from './flows/assistance/assistance.steps.ts';
import { sendPasswordExpiryWarnings } from './flows/password-expiry/password-expiry.steps.ts';
import { pruneLoginFlows } from './flows/sign-in/login-flow.steps.ts';
import { pruneAdministrationSessions } from './flows/administration-pages/administration-session.ts';
import { sweepInterruptedJobs } from './flows/administration-pages/enrolment-jobs.ts';
import { processRecoveryStarts } from './flows/credentials/recovery-starts.ts';
import { cryptoRandom, systemClock } from './domain/clock.ts';
import { hashToken } from './domain/secrets.ts';
import { insertApiToken } from './store/api-tokens.repo.ts';
import { createAuditSealer } from './store/audit-sealer.ts';
import { openDb } from './store/db.ts';
import { migrate } from './store/migrate.ts';

const workerIntervalMs = 500;
const recoveryStartIntervalMs = 50; // recovery starts are carried out off the request path (S2)
const auditSealIntervalMs = 250; // how long an event waits, at most, for its place in the hash chain
const shutdownLimitMs = 25_000; // a drain longer than this is abandoned, before an orchestrator's SIGKILL (30 s by default in Kubernetes)
// hourly: expiry warnings, assistance requests, rate-limit windows, login flows, OIDC artefacts,
// administrations' sessions, interrupted enrolment jobs and their files
const housekeepingIntervalMs = 60 * 60 * 1000;

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDb(config.databaseUrl, config.dataDir, { poolSize: config.databasePoolSize, preparedStatements: config.databasePreparedStatements });
  await migrate(db);
  const deps = {
    db, config, clock: systemClock, random: cryptoRandom,
    hasher: createArgon2Hasher(config.hashQueueLimit === undefined ? {} : { queueLimit: config.hashQueueLimit }),
    // Issue 14: rate limits counted in memory, or in Redis when instances share them.
    limiter: config.redisUrl ? createRedisRateLimiter(config.redisUrl, { prefix: config.redisKeyPrefix }) : createMemoryRateLimiter(),
    outbox: createOutbox({ clock: systemClock, devMailbox: config.env !== 'production', templates: messageTemplates() }),
  };
  if (config.bootstrapAdminToken) {
    await insertApiToken(db, { tokenHash: hashToken(config.bootstrapAdminToken), role: 'platform_admin', subjectId: null }, systemClock.now());
  }
  const app = await buildApp(deps);
  const channels = createChannels(config);
  const worker = createOutboxWorker({ db, clock: systemClock, channels, logger: app.log });
  worker.start(workerIntervalMs);
  const sealer = createAuditSealer(db, (error) => app.log.error({ err: error }, 'audit sealing failed'));
  sealer.start(auditSealIntervalMs);
  let carryingOut: Promise<unknown> | undefined;
  const recoveryStarts = setInterval(() => {
    if (carryingOut) return;
    carryingOut = processRecoveryStarts(deps, 500, (error) => app.log.error({ err: error }, 'a recovery start was dropped'))
      .catch((error: unknown) => app.log.error({ err: error }, 'recovery starts failed'))
      .finally(() => { carryingOut = undefined; });
  }, recoveryStartIntervalMs);
  recoveryStarts.unref();
  const sweepJobs = () => sweepInterruptedJobs(deps).catch((error: unknown) => app.log.error({ err: error }, 'enrolment job sweep failed'));
  void sweepJobs(); // on start: the jobs a killed process left behind
  const housekeeping = setInterval(() => {
    sendPasswordExpiryWarnings(deps).catch((error: unknown) => app.log.error({ err: error }, 'expiry warnings failed'));
    expireAndPurgeRequests(deps).catch((error: unknown) => app.log.error({ err: error }, 'assistance housekeeping failed'));
    pruneRateLimits(db, systemClock.now()).catch((error: unknown) => app.log.error({ err: error }, 'rate limit pruning failed'));
    pruneLoginFlows(deps).catch((error: unknown) => app.log.error({ err: error }, 'login flow pruning failed'));
    pruneExpiredPayloads(db, systemClock.now()).catch((error: unknown) => app.log.error({ err: error }, 'oidc pruning failed'));
    pruneAdministrationSessions(deps).catch((error: unknown) => app.log.error({ err: error }, 'administration session pruning failed'));
    void sweepJobs();
  }, housekeepingIntervalMs);
  housekeeping.unref();

  // app.close() stops listening and waits for every connection to end, but a keep-alive
  // connection that finishes its request after the close began stays open until its idle
  // timeout (72 s in Fastify): such connections are closed as soon as they fall idle.
  const closeServer = async () => {
    const closeIdle = setInterval(() => app.server.closeIdleConnections(), 50);
    try {
      await app.close();
    } finally {
      clearInterval(closeIdle);
    }
  };
  // SIGTERM / SIGINT: stop accepting connections at once, let the requests in flight finish
  // (sign-ins waiting for their hash included) while the outbox worker finishes the batch it
  // is sending, carry out the recovery starts that were answered, then close the database and
  // exit 0. What does not finish within shutdownLimitMs is abandoned with exit 1: every change
  // commits in one transaction, so an abandoned one is simply not there.
  const shutdown = async (signal: NodeJS.Signals) => {
    app.log.info({ signal }, 'shutting down: draining requests and the outbox worker');
    setTimeout(() => {
      app.log.error({ limitMs: shutdownLimitMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, shutdownLimitMs).unref();
    clearInterval(housekeeping);
    clearInterval(recoveryStarts);
    try {
      await Promise.all([closeServer(), worker.stop(), carryingOut]);
      for (const channel of new Set(Object.values(channels))) channel.close?.();
      await processRecoveryStarts(deps, Number.MAX_SAFE_INTEGER).catch(() => undefined); // what was answered is carried out
      await sealer.stop();
      await deps.limiter.close();
      await db.close();
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));

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
