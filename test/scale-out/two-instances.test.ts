// Issue 14, scale out: two instances (child processes on their own ports) against one
// PostgreSQL (a schema of this suite's own) and one Redis, as behind a load balancer with no
// sticky sessions: a session made on one is used on the other, a lockout is reached by
// alternating wrong passwords across both, a rate limit is shared, and every message is
// delivered once although both run the outbox and recovery-start workers.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createArgon2Hasher } from '../../src/adapters/argon2.hasher.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { insertAccount } from '../../src/store/accounts.repo.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPostgres } from '../../src/store/postgres.db.ts';
import { runningInCi, testDatabaseUrl, testRedisUrl } from '../helpers/db.ts';
import { startSmtp, type ReceivedMail, type TestSmtpServer } from '../helpers/smtp.ts';

// Instances share a PostgreSQL server whatever the suite's own database: in CI's embedded-PGlite
// pass too, the machine's server is used (as the database-cut fault suite does).
const serverUrl = testDatabaseUrl ?? (runningInCi ? 'postgres://postgres@127.0.0.1:5432/test' : undefined);
if (runningInCi && !testRedisUrl) throw new Error('CI must set TEST_REDIS_URL');
const skip = !serverUrl || !testRedisUrl ? 'needs TEST_DATABASE_URL and TEST_REDIS_URL' : false;

const ports = [4610, 4611] as const;
const password = 'Tramonto-Viola!Sul-Po7';
const citizen = { codiceFiscale: 'RSSMRA85T10A562S', email: 'anna@example.it' };
const other = { codiceFiscale: 'MRTMTT91D08F205J', email: 'luigi@example.it' };
const recoveryPerIp = 4;

async function waitForReady(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`instance on ${port} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`instance on ${port} never became ready`);
}

const post = (port: number, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('two instances, one PostgreSQL, one Redis', { skip }, () => {
  const schema = `scale_${randomBytes(6).toString('hex')}`;
  const instances: ChildProcess[] = [];
  const mails: ReceivedMail[] = [];
  let smtp: TestSmtpServer;

  before(async () => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const db = await openPostgres(serverUrl!, { schema, poolSize: 2 });
    await migrate(db);
    const passwordHash = await createArgon2Hasher().hash(password);
    for (const person of [citizen, other]) {
      await insertAccount(db, { ...person, firstName: 'Anna', lastName: 'Esposito', birthDate: null, mobile: null, pec: null,
        passwordHash, passwordTemporaryUntil: null }, systemClock.now());
    }
    await db.close();
    smtp = await startSmtp(mails);
    const url = new URL(serverUrl!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    for (const port of ports) {
      const child = spawn(process.execPath, ['scripts/ts.mjs', 'src/main.ts'], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env, VARCO_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${ports[0]}`,
          DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '4', REDIS_URL: testRedisUrl, REDIS_KEY_PREFIX: schema,
          SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SESSION_SECRET: 's'.repeat(32), CODE_HMAC_KEYS: 'k'.repeat(40),
          CAPTCHA: 'off', SEED_DEMO_DATA: 'off', LOG_LEVEL: 'warn', LOCKOUT_THRESHOLD: '5',
          RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: String(recoveryPerIp), RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100',
        },
      });
      instances.push(child);
    }
    await Promise.all(ports.map((port, i) => waitForReady(port, instances[i]!)));
  });

  after(async () => {
    for (const child of instances) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
    const cleaner = new pg.Client({ connectionString: serverUrl });
    await cleaner.connect();
    await cleaner.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await cleaner.end();
  });

  test('a session made on one instance is used on the other', async () => {
    const signedIn = await post(ports[0], '/api/v1/session', { codiceFiscale: other.codiceFiscale, password });
    assert.equal(signedIn.status, 200, await signedIn.text());
    const cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c!.startsWith('varco_session='))!;
    const me = await fetch(`http://127.0.0.1:${ports[1]}/api/v1/me`, { headers: { cookie } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { codiceFiscale: string }).codiceFiscale, other.codiceFiscale);
  });

  test('wrong passwords alternating across both instances lock the account at the threshold', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const answer = await post(ports[attempt % 2]!, '/api/v1/session', { codiceFiscale: citizen.codiceFiscale, password: 'Sbagliata-123!' });
      assert.equal(answer.status, 401, `attempt ${attempt + 1}`);
    }
    for (const port of ports) {
      const locked = await post(port, '/api/v1/session', { codiceFiscale: citizen.codiceFiscale, password });
      assert.equal(locked.status, 423, 'even the right password is refused on either instance');
      assert.equal(((await locked.json()) as { code: string }).code, 'account_locked');
    }
  });

  test('the per-address recovery limit is shared: the instances together allow it once', async () => {
    const statuses: number[] = [];
    for (let start = 0; start < recoveryPerIp + 2; start++) {
      const answer = await post(ports[start % 2]!, '/api/v1/recovery/password', { codiceFiscale: other.codiceFiscale, channel: 'email', email: other.email });
      statuses.push(answer.status);
    }
    assert.deepEqual(statuses, [...Array(recoveryPerIp).fill(202), 429, 429]);
  });

  test('every message is delivered exactly once though both instances run the workers', async () => {
    // Expected: the lockout notice to the citizen and one reset link per accepted start.
    const expected = { [citizen.email]: 1, [other.email]: recoveryPerIp };
    const deadline = Date.now() + 30_000;
    const count = (to: string) => mails.filter((m) => m.to === to).length;
    while (Date.now() < deadline && Object.entries(expected).some(([to, n]) => count(to) < n)) await new Promise((r) => setTimeout(r, 200));
    await new Promise((resolve) => setTimeout(resolve, 2000)); // time for a duplicate to show up
    assert.equal(count(citizen.email), 1);
    assert.equal(count(other.email), recoveryPerIp);
    assert.equal(new Set(mails.map((m) => m.messageId)).size, mails.length, 'no Message-ID twice');
    assert.ok(mails.filter((m) => m.to === other.email).every((m) => /\/recovery\/password\/[A-Za-z0-9_-]{43}/.test(m.raw)));
  });
});
