// The service under load, in its own process so that its memory and event loop are its own
// (issue 14): composed as src/main.ts composes it (rate limits in memory, the bounded hash
// queue, the audit sealer and the recovery-start worker running), on PostgreSQL in a schema
// of its own (BENCH_DATABASE_URL) or on PGlite (BENCH_DB=pglite). Prints nothing; talks over
// IPC: first message { port, codici, password, cookie, recovery }; then answers 'idle' (once
// no hash, recovery start or unsealed audit event is left), 'rss' (peak, current and since the last 'rss' peak RSS in MB), 'cpu' (CPU seconds used), { resets: n } (n reset-link tokens), 'stop'.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import * as rateLimiter from '../src/adapters/rate-limiter.ts';
import { createArgon2Hasher } from '../src/adapters/argon2.hasher.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createOutbox } from '../src/delivery/outbox.ts';
import { messageTemplates } from '../src/flows/manifest.ts';
import type { FlowDeps } from '../src/flows/deps.ts';
import { cryptoRandom, systemClock } from '../src/domain/clock.ts';
import { insertAccount } from '../src/store/accounts.repo.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPostgres } from '../src/store/postgres.db.ts';
import { validCodiciFiscali } from './codici-fiscali.ts';

const password = 'Tramonto-Viola!Sul-Po7';
// One account per connection of the largest run (512): a closed-loop generator sends each
// account's sign-ins in turn, and with fewer accounts than connections each would have several
// in flight at once, which no citizen does; beyond the lockout threshold (S15 counts an attempt
// before its hash) the extra ones are refused as locked until the first succeeds.
const accountCount = 512;
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);

async function openBenchDb(): Promise<{ db: Db; drop(): Promise<void> }> {
  if (process.env.BENCH_DB === 'pglite') {
    const db = await openDb('memory://', '');
    await migrate(db);
    return { db, drop: async () => undefined };
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = await openPostgres(postgresUrl, { schema, poolSize });
  await migrate(db);
  return {
    db,
    drop: async () => {
      const cleaner = new pg.Client({ connectionString: postgresUrl });
      await cleaner.connect();
      await cleaner.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleaner.end();
    },
  };
}

/** The background work main.ts runs, where this tree has it (the bench also runs on older trees for before/after). */
async function startBackground(deps: FlowDeps): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const { createAuditSealer } = await import('../src/store/audit-sealer.ts');
    const sealer = createAuditSealer(deps.db, (error) => console.error('sealing', error));
    sealer.start(250);
    stops.push(() => sealer.stop());
  } catch { /* no sealer in this tree */ }
  try {
    const { processRecoveryStarts } = await import('../src/flows/credentials/recovery-starts.ts');
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      processRecoveryStarts(deps, 500).catch((error: unknown) => console.error('recovery starts', error)).finally(() => { busy = false; });
    }, 50);
    stops.push(async () => {
      clearInterval(timer);
      while (busy) await new Promise((resolve) => setTimeout(resolve, 10)); // a batch still running would find the pool closed
    });
  } catch { /* recovery starts are carried out on the request path in this tree */ }
  return async () => { for (const stop of stops) await stop(); };
}

const { db, drop } = await openBenchDb();
const config = loadConfig({
  SESSION_SECRET: 'b'.repeat(32), LOG_LEVEL: 'warn', SEED_DEMO_DATA: 'off', CAPTCHA: 'off',
  RATE_LIMIT_SIGNIN_PER_IP_PER_MINUTE: '100000000', RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100000000',
  RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '100000000', RATE_LIMIT_CODE_ENTRY_PER_IP_PER_HOUR: '100000000',
});
const limits = rateLimiter as Record<string, unknown>;
const limiter = typeof limits.createMemoryRateLimiter === 'function'
  ? (limits.createMemoryRateLimiter as () => rateLimiter.RateLimiter)()
  : rateLimiter.createDbRateLimiter(db);
// Counted, so that the bench can wait for the hashes a finished load run left queued.
const argon2 = createArgon2Hasher();
let hashing = 0;
const counted = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
  hashing++;
  try {
    return await fn(...args);
  } finally {
    hashing--;
  }
};
const hasher = { ...argon2, hash: counted(argon2.hash), verify: counted(argon2.verify), verifyDummy: counted(argon2.verifyDummy) };
const deps: FlowDeps = { db, config, clock: systemClock, random: cryptoRandom, hasher, limiter,
  outbox: createOutbox({ clock: systemClock, devMailbox: false, templates: messageTemplates() }) };

const passwordHash = await hasher.hash(password);
const codici = validCodiciFiscali(accountCount + 1);
const recoveryCf = codici.pop()!;
for (const codiceFiscale of codici) {
  await insertAccount(db, { codiceFiscale, firstName: 'Bench', lastName: 'Mark', birthDate: null, email: null, mobile: null,
    pec: null, passwordHash, passwordTemporaryUntil: null }, systemClock.now());
}
const recovery = { codiceFiscale: recoveryCf, email: 'mario@example.it', missingCodiceFiscale: 'MRTMTT91D08F205J' };
await insertAccount(db, { codiceFiscale: recoveryCf, firstName: 'Mario', lastName: 'Rossi', birthDate: null, email: recovery.email,
  mobile: '+393331234567', pec: null, passwordHash, passwordTemporaryUntil: null }, systemClock.now());

const app = await buildApp(deps, { logger: false });
const stopBackground = await startBackground(deps);
const signedIn = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: codici[0], password } });
const sessionCookie = signedIn.cookies.find((c) => c.name === 'varco_session');
await app.listen({ host: '127.0.0.1', port: Number(process.env.BENCH_PORT ?? 0) });
const address = app.server.address();

let peak = process.memoryUsage().rss;
let phasePeak = peak; // since the last 'rss' message: the peak of one phase of the bench
setInterval(() => {
  const rss = process.memoryUsage().rss;
  peak = Math.max(peak, rss);
  phasePeak = Math.max(phasePeak, rss);
}, 20).unref();
const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

/** n accounts that each asked for a reset link by email; returns the link tokens. */
async function prepareResets(n: number): Promise<string[]> {
  const cfs = validCodiciFiscali(accountCount + 1 + n).slice(accountCount + 1).map((cf) => cf.replace(/^RSSMRA/, 'VRDLGU'));
  const { checkCharacter } = await import('../src/domain/codice-fiscale.ts');
  const tokens: string[] = [];
  for (const [i, raw] of cfs.entries()) {
    const codiceFiscale = raw.slice(0, 15) + checkCharacter(raw.slice(0, 15));
    const email = `reset${i}.${Date.now()}@example.it`;
    await insertAccount(db, { codiceFiscale, firstName: 'Reset', lastName: 'Bench', birthDate: null, email, mobile: null, pec: null,
      passwordHash, passwordTemporaryUntil: null }, systemClock.now());
    const started = await app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload: { codiceFiscale, channel: 'email', email } });
    if (started.statusCode !== 202) throw new Error(`reset start: ${started.statusCode} ${started.body}`);
    for (let wait = 0; wait < 200; wait++) {
      const row = await db.query<{ body_text: string }>("SELECT body_text FROM outbox WHERE recipient = $1 AND kind = 'password_reset_link'", [email]);
      const token = /\/recovery\/password\/([A-Za-z0-9_-]{20,})/.exec(row.rows[0]?.body_text ?? '')?.[1];
      if (token) {
        tokens.push(token);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  return tokens;
}

process.on('message', async (message: unknown) => {
  if (message === 'idle') {
    // No hash left queued, and (where starts are carried out off the request path) none pending.
    const pendingStarts = async () => {
      try {
        return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_starts')).rows[0]?.n ?? 0;
      } catch {
        return 0; // an older tree: no such table
      }
    };
    // Nor audit events waiting for the sealer: a load's events are sealed after it, and that
    // work would otherwise fall into the next figure.
    const unsealed = async () => {
      try {
        return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM audit_events WHERE chain_seq IS NULL LIMIT 1) AS pending')).rows[0]?.n ?? 0;
      } catch {
        return 0; // an older tree: no sealing
      }
    };
    const deadline = Date.now() + 180_000;
    while ((hashing > 0 || (await pendingStarts()) > 0 || (await unsealed()) > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    process.send!({ idle: true });
  } else if (message === 'cpu') {
    // CPU seconds this process used so far (every thread: the event loop and the hashes).
    const { user, system } = process.cpuUsage();
    process.send!({ cpuSeconds: (user + system) / 1e6 });
  } else if (message === 'rss') {
    const current = process.memoryUsage().rss;
    process.send!({ peakMb: mb(peak), currentMb: mb(current), phasePeakMb: mb(phasePeak) });
    phasePeak = current;
  } else if (typeof message === 'object' && message !== null && 'resets' in message) {
    process.send!({ tokens: await prepareResets(Number((message as { resets: number }).resets)) });
  } else if (message === 'stop') {
    await app.close();
    await stopBackground();
    await limiter.close();
    await db.close();
    await drop();
    process.exit(0);
  }
});
process.send!({ port: typeof address === 'object' && address ? address.port : 0, codici, password, cookie: `varco_session=${sessionCookie?.value ?? ''}`, recovery });
