// S2: a recovery start must take the same time whatever matched. Median and p90 latency of
// POST /api/v1/recovery/password for an existing account with the matching contact, an
// existing account with another contact, and a missing account, on both channels; the
// requests are interleaved (in a rotating order) so that drift and warm-up hit all alike.
// Runnable alone: `npx tsx bench/recovery-timing.bench.ts` (BENCH_ROUNDS, default 200).
import { createArgon2Hasher } from '../src/adapters/argon2.hasher.ts';
import { createDbRateLimiter } from '../src/adapters/rate-limiter.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createOutbox } from '../src/delivery/outbox.ts';
import { messageTemplates } from '../src/flows/manifest.ts';
import { cryptoRandom, systemClock } from '../src/domain/clock.ts';
import { insertAccount } from '../src/store/accounts.repo.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 200);
const warmUpRounds = 20;
const existing = { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', mobile: '+393331234567' };
const missingCf = 'MRTMTT91D08F205J';

const cases = {
  email_matching: { codiceFiscale: existing.codiceFiscale, channel: 'email', email: existing.email },
  email_wrong_contact: { codiceFiscale: existing.codiceFiscale, channel: 'email', email: 'altro@example.it' },
  email_missing_account: { codiceFiscale: missingCf, channel: 'email', email: existing.email },
  sms_matching: { codiceFiscale: existing.codiceFiscale, channel: 'sms', mobile: existing.mobile },
  sms_wrong_contact: { codiceFiscale: existing.codiceFiscale, channel: 'sms', mobile: '+393339999999' },
  sms_missing_account: { codiceFiscale: missingCf, channel: 'sms', mobile: existing.mobile },
} as const;
type CaseName = keyof typeof cases;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function startApp() {
  const config = loadConfig({ SESSION_SECRET: 's'.repeat(32), CAPTCHA: 'off', LOG_LEVEL: 'warn', SEED_DEMO_DATA: 'off',
    RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '1000000', RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '1000000' });
  const db = await openDb('memory://', '');
  await migrate(db);
  const hasher = createArgon2Hasher();
  await insertAccount(db, { codiceFiscale: existing.codiceFiscale, firstName: 'Mario', lastName: 'Rossi', birthDate: null,
    email: existing.email, mobile: existing.mobile, pec: null, passwordHash: await hasher.hash('x'), passwordTemporaryUntil: null }, systemClock.now());
  // As in production: no development mailbox copy, so a match costs one outbox row, no more.
  const app = await buildApp({ db, config, clock: systemClock, random: cryptoRandom, hasher, limiter: createDbRateLimiter(db),
    outbox: createOutbox({ clock: systemClock, devMailbox: false, templates: messageTemplates() }) }, { logger: false });
  return { app, close: async () => { await app.close(); await db.close(); } };
}

export async function benchRecoveryTiming(): Promise<Record<string, number>> {
  const { app, close } = await startApp();
  const names = Object.keys(cases) as CaseName[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<CaseName, number[]>;
  try {
    for (let round = 0; round < rounds + warmUpRounds; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]!);
      for (const name of order) {
        const started = performance.now();
        const response = await app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload: cases[name] });
        const elapsed = performance.now() - started;
        if (response.statusCode !== 202) throw new Error(`${name}: ${response.statusCode} ${response.body}`);
        if (round >= warmUpRounds) samples[name].push(elapsed);
      }
    }
  } finally {
    await close();
  }
  return summarise(samples);
}

function summarise(samples: Record<CaseName, number[]>): Record<string, number> {
  const figures: Record<string, number> = { requests_per_case: rounds };
  for (const [name, values] of Object.entries(samples)) {
    const sorted = [...values].sort((a, b) => a - b);
    figures[`${name}_median_ms`] = quantile(sorted, 0.5);
    figures[`${name}_p90_ms`] = quantile(sorted, 0.9);
  }
  for (const channel of ['email', 'sms']) {
    for (const other of ['wrong_contact', 'missing_account']) {
      for (const stat of ['median', 'p90']) {
        figures[`${channel}_${stat}_ratio_${other}_to_matching`] =
          figures[`${channel}_${other}_${stat}_ms`]! / figures[`${channel}_matching_${stat}_ms`]!;
      }
    }
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await benchRecoveryTiming());
