// S2: the recovery start must take the same time whatever matched. Median and p90 latency
// of POST /api/v1/recovery/password for a matching, a non-matching and a missing account,
// interleaved so that drift hits all three alike.
import { createArgon2Hasher } from '../src/adapters/argon2.hasher.ts';
import { createDbRateLimiter } from '../src/adapters/rate-limiter.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createOutbox } from '../src/delivery/outbox.ts';
import { cryptoRandom, systemClock } from '../src/domain/clock.ts';
import { insertAccount } from '../src/store/accounts.repo.ts';
import { openDb } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 200);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

export async function benchRecoveryTiming(): Promise<Record<string, number>> {
  const config = loadConfig({ SESSION_SECRET: 's'.repeat(32), CAPTCHA: 'off', LOG_LEVEL: 'warn', SEED_DEMO_DATA: 'off',
    RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100000', RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '100000' });
  const db = await openDb('memory://', '');
  await migrate(db);
  const hasher = createArgon2Hasher();
  await insertAccount(db, { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'Mario', lastName: 'Rossi', birthDate: null,
    email: 'mario@example.it', mobile: '+393331234567', pec: null, passwordHash: await hasher.hash('x'), passwordTemporaryUntil: null }, systemClock.now());
  const app = await buildApp({ db, config, clock: systemClock, random: cryptoRandom, hasher, limiter: createDbRateLimiter(db),
    outbox: createOutbox({ clock: systemClock, devMailbox: true }) }, { logger: false });
  const cases = {
    matching: { codiceFiscale: 'RSSMRA85T10A562S', channel: 'sms', mobile: '+393331234567' },
    wrong_contact: { codiceFiscale: 'RSSMRA85T10A562S', channel: 'sms', mobile: '+393339999999' },
    missing_account: { codiceFiscale: 'MRTMTT91D08F205J', channel: 'sms', mobile: '+393331234567' },
  } as const;
  const samples: Record<string, number[]> = { matching: [], wrong_contact: [], missing_account: [] };
  for (let round = 0; round < rounds + 20; round++) {
    for (const [name, payload] of Object.entries(cases)) {
      const started = performance.now();
      const response = await app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload });
      if (response.statusCode !== 202) throw new Error(`${name}: ${response.statusCode} ${response.body}`);
      if (round >= 20) samples[name]!.push(performance.now() - started); // the first rounds warm up
    }
  }
  await app.close();
  await db.close();
  const figures: Record<string, number> = {};
  for (const [name, values] of Object.entries(samples)) {
    const sorted = [...values].sort((a, b) => a - b);
    figures[`${name}_median_ms`] = quantile(sorted, 0.5);
    figures[`${name}_p90_ms`] = quantile(sorted, 0.9);
  }
  figures.median_ratio_missing_to_matching = figures.missing_account_median_ms! / figures.matching_median_ms!;
  figures.median_ratio_wrong_contact_to_matching = figures.wrong_contact_median_ms! / figures.matching_median_ms!;
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await benchRecoveryTiming());
