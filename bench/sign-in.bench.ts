// Sign-in requests per second at 8, 32 and 128 connections over loopback, next to the raw
// argon2id verification ceiling of this machine with the same parameters, in the same run.
import { availableParallelism } from 'node:os';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { argon2Params, createArgon2Hasher } from '../src/adapters/argon2.hasher.ts';
import { createDbRateLimiter } from '../src/adapters/rate-limiter.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createOutbox } from '../src/delivery/outbox.ts';
import { messageTemplates } from '../src/flows/manifest.ts';
import { cryptoRandom, systemClock } from '../src/domain/clock.ts';
import { insertAccount } from '../src/store/accounts.repo.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { openIsolatedPostgres } from '../test/helpers/db.ts';
import { validCodiciFiscali } from './codici-fiscali.ts';

const password = 'Tramonto-Viola!Sul-Po7';
const accountCount = 64;
const secondsPerRun = Number(process.env.BENCH_SECONDS ?? 8);

/** Verifications per second with every core busy: the physical ceiling for sign-ins. */
async function argon2Ceiling(seconds: number): Promise<number> {
  const encoded = await hash(password, { algorithm: Algorithm.Argon2id, ...argon2Params });
  const inFlight = availableParallelism() * 2;
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (performance.now() < deadline) {
      await verify(encoded, password);
      done++;
    }
  }));
  return done / seconds;
}

async function startServer() {
  const config = loadConfig({
    SESSION_SECRET: 'b'.repeat(32), LOG_LEVEL: 'warn',
    RATE_LIMIT_SIGNIN_PER_IP_PER_MINUTE: '10000000', SEED_DEMO_DATA: 'off',
  });
  const db = process.env.BENCH_DATABASE_URL ? await openIsolatedPostgres(process.env.BENCH_DATABASE_URL) : await openDb('memory://', '');
  await migrate(db);
  const hasher = createArgon2Hasher();
  const passwordHash = await hasher.hash(password);
  const codici = validCodiciFiscali(accountCount);
  for (const codiceFiscale of codici) {
    await insertAccount(db, { codiceFiscale, firstName: 'Bench', lastName: 'Mark', birthDate: null, email: null, mobile: null,
      pec: null, passwordHash, passwordTemporaryUntil: null }, systemClock.now());
  }
  const deps = { db, config, clock: systemClock, random: cryptoRandom, hasher, limiter: createDbRateLimiter(db),
    outbox: createOutbox({ clock: systemClock, devMailbox: false, templates: messageTemplates() }) };
  const app = await buildApp(deps, { logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, db, codici, url: `http://127.0.0.1:${port}` };
}

async function signInRate(url: string, codici: string[], connections: number) {
  const args = JSON.stringify({ url, connections, seconds: secondsPerRun, codici, password });
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts', args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  await once(child, 'exit');
  return JSON.parse(output) as { requestsPerSecond: number; non2xx: number; errors: number; p99Ms: number };
}

export async function benchSignIn(): Promise<Record<string, number>> {
  const server = await startServer();
  const figures: Record<string, number> = {};
  try {
    await signInRate(server.url, server.codici, 8); // warm-up
    figures.argon2_ceiling_per_s = await argon2Ceiling(secondsPerRun);
    for (const connections of [8, 32, 128]) {
      const run = await signInRate(server.url, server.codici, connections);
      figures[`sign_in_per_s_c${connections}`] = run.requestsPerSecond;
      figures[`sign_in_ratio_to_ceiling_c${connections}`] = run.requestsPerSecond / figures.argon2_ceiling_per_s;
      figures[`sign_in_errors_c${connections}`] = run.errors + run.non2xx;
      figures[`sign_in_p99_ms_c${connections}`] = run.p99Ms;
    }
  } finally {
    await server.app.close();
    await server.db.close();
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await benchSignIn());
