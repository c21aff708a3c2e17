// npm run soak: mixed traffic for SOAK_MINUTES (default 10; CI runs 2) against the whole app
// on PostgreSQL, with a database outage and an SMTP outage injected midway through cuttable
// TCP proxies (ports 4500–4599). Reports answers by status, RSS over time, and messages lost
// and duplicated; exits non-zero when a message is lost or duplicated, when anything answers
// 500, or when RSS grows with a trend.
// Needs PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); each run
// gets a schema of its own, dropped at the end.
import { loadConfig } from '../src/config.ts';
import { messageIdFor } from '../src/delivery/channels/email.channel.ts';
import { createChannels } from '../src/delivery/channels/index.ts';
import { createOutboxWorker } from '../src/delivery/outbox.worker.ts';
import { activateCitizen, registerCitizen, sessionCookieOf, startTestApp } from '../test/helpers/app.ts';
import { openIsolatedPostgres } from '../test/helpers/db.ts';
import { png } from '../test/helpers/documents.ts';
import { multipart } from '../test/helpers/multipart.ts';
import { startSmtp, type ReceivedMail } from '../test/helpers/smtp.ts';
import { startTcpProxy } from '../test/helpers/tcp-proxy.ts';

const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const durationMs = minutes * 60_000;
const concurrency = 4;
const serverUrl = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const password = 'Tramonto-Viola!Sul-Po7';
const citizens = ['RSSMRA85T10A562S', 'VRDGPP80A01H501U', 'BNCLRA90M41F205Z'];

const dbProxy = await startTcpProxy({ host: serverUrl.hostname, port: Number(serverUrl.port || 5432) }, 4560);
const mails: ReceivedMail[] = [];
const smtp = await startSmtp(mails);
const smtpProxy = await startTcpProxy({ host: '127.0.0.1', port: smtp.port }, 4570);
const proxiedUrl = new URL(serverUrl);
proxiedUrl.hostname = '127.0.0.1';
proxiedUrl.port = String(dbProxy.port);

const t = await startTestApp({
  RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '1000000', RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '1000000',
  RATE_LIMIT_CODE_ENTRY_PER_IP_PER_HOUR: '1000000', RATE_LIMIT_DESK_REQUESTS_PER_IP_PER_MINUTE: '1000000', LOCKOUT_THRESHOLD: '1000000',
}, { db: await openIsolatedPostgres(proxiedUrl.toString()), checkContract: false });
for (const [i, cf] of citizens.entries()) await activateCitizen(t.app, { codiceFiscale: cf, email: `soak${i}@example.it`, password });
await registerCitizen(t.app, { codiceFiscale: 'RSSMRA80A01H501U', email: 'locked@example.it', temporaryPassword: 'Provvisoria-2026' });

const channels = createChannels(loadConfig({ SMTP_URL: `smtp://127.0.0.1:${smtpProxy.port}`, SESSION_SECRET: 'x'.repeat(32) }));
const worker = createOutboxWorker({ db: t.deps.db, clock: t.clock, channels });

const statuses = new Map<string, number>();
const count = (what: string, status: number): void => void statuses.set(`${what} ${status}`, (statuses.get(`${what} ${status}`) ?? 0) + 1);
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const started = Date.now();
const elapsed = () => Date.now() - started;
const phase = () => elapsed() / durationMs;

type Action = () => Promise<void>;
const actions: Action[] = [
  async () => {
    const cf = pick(citizens);
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } });
    count('sign-in', response.statusCode);
    if (response.statusCode === 200) {
      const cookie = sessionCookieOf(response);
      count('area page', (await t.app.inject({ method: 'GET', url: '/area', headers: { cookie } })).statusCode);
      count('me', (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode);
      count('sign-out', (await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } })).statusCode);
    }
  },
  async () => count('wrong password', (await t.app.inject({ method: 'POST', url: '/api/v1/session',
    payload: { codiceFiscale: pick([...citizens, 'RSSMRA80A01H501U']), password: 'Sbagliata-2026!x' } })).statusCode),
  async () => {
    const i = Math.floor(Math.random() * citizens.length);
    count('recovery', (await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password',
      payload: { codiceFiscale: citizens[i]!, channel: 'email', email: Math.random() < 0.7 ? `soak${i}@example.it` : 'other@example.it' } })).statusCode);
  },
  async () => {
    const body = multipart({ codiceFiscale: pick(citizens), email: 'desk@example.it', category: 'password_reset', message: 'Non riesco ad accedere' },
      { name: 'document', filename: 'id.png', type: 'image/png', bytes: png() });
    count('desk request', (await t.app.inject({ method: 'POST', url: '/api/v1/assistance/requests', ...body })).statusCode);
  },
  async () => count('page', (await t.app.inject({ method: 'GET', url: pick(['/signin', '/recovery/password', '/assistance', '/recovery/pin']) })).statusCode),
];

const rss: { atSeconds: number; mb: number }[] = [];
const sampler = setInterval(() => rss.push({ atSeconds: Math.round(elapsed() / 1000), mb: process.memoryUsage().rss / 2 ** 20 }), 5000);
let outages = '';
const injector = setInterval(() => {
  const p = phase();
  // Both outages in the first half, so that the second half shows the steady state after them.
  const dbDown = p >= 0.2 && p < 0.3;
  const smtpDown = p >= 0.35 && p < 0.45;
  if (dbDown) dbProxy.cut(); else dbProxy.restore();
  if (smtpDown) smtpProxy.cut(); else smtpProxy.restore();
  const state = `${dbDown ? 'db' : ''}${smtpDown ? 'smtp' : ''}`;
  if (state !== outages) console.log(`${Math.round(elapsed() / 1000)} s: ${state ? `${state} down` : 'all up'}`);
  outages = state;
}, 250);

let running = true;
const drive = async () => {
  while (running) {
    try {
      await pick(actions)();
    } catch (error) {
      count(`thrown ${(error as Error).message.slice(0, 60)}`, 0);
    }
  }
};
const deliver = async () => {
  while (running) {
    try {
      await worker.runOnce();
    } catch {
      // the database is down: the next round tries again
    }
    t.clock.advance(30); // retries come due on the test clock, not in real minutes
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
const stopAt = setTimeout(() => void (running = false), durationMs);
await Promise.all([...Array.from({ length: concurrency }, drive), deliver()]);
clearTimeout(stopAt);
clearInterval(injector);
clearInterval(sampler);
dbProxy.restore();
smtpProxy.restore();

// Drain: everything enqueued must now go out.
for (let round = 0; round < 60; round++) {
  const pending = Number((await t.deps.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM outbox WHERE channel = 'email' AND status <> 'sent'`)).rows[0]!.n);
  if (pending === 0) break;
  t.clock.advance(3600);
  await worker.runOnce().catch(() => 0);
}
const enqueued = Number((await t.deps.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM outbox WHERE channel = 'email'`)).rows[0]!.n);
const unsent = Number((await t.deps.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM outbox WHERE channel = 'email' AND status <> 'sent'`)).rows[0]!.n);
const ids = mails.map((m) => m.messageId);
const lost = Math.max(unsent, enqueued - new Set(ids).size);
// A message received twice is a duplicate, unless the second copy is SMTP's at-least-once
// redelivery: the connection was cut after the server took the data but before the worker
// heard "250", so the row was retried (attempts > 1) under the same Message-ID, which a
// receiving server deduplicates. Those are reported apart; any other repeat fails the run.
const attemptsById = new Map((await t.deps.db.query<{ id: string; attempts: number }>(
  `SELECT id::text AS id, attempts FROM outbox WHERE channel = 'email'`)).rows.map((row) => [messageIdFor(row.id), row.attempts]));
const repeats = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
const redelivered = repeats.filter((id) => (attemptsById.get(id) ?? 0) > 1).length;
const duplicated = repeats.length - redelivered;

// RSS trend in the steady state: least-squares slope in MB per minute over the second half.
const steady = rss.filter((s) => s.atSeconds >= (durationMs / 1000) / 2);
const slope = (() => {
  if (steady.length < 4) return 0;
  const mx = steady.reduce((a, s) => a + s.atSeconds, 0) / steady.length;
  const my = steady.reduce((a, s) => a + s.mb, 0) / steady.length;
  const num = steady.reduce((a, s) => a + (s.atSeconds - mx) * (s.mb - my), 0);
  const den = steady.reduce((a, s) => a + (s.atSeconds - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
})();
const meanRss = steady.reduce((a, s) => a + s.mb, 0) / Math.max(1, steady.length);
const growing = slope * minutes > Math.max(40, meanRss * 0.25);
const errors500 = [...statuses].filter(([key]) => / 500$/.test(key) || key.startsWith('thrown')).reduce((a, [, n]) => a + n, 0);

console.log(`\nsoak: ${minutes} min, ${concurrency} clients`);
console.log('answers by status:');
for (const [key, n] of [...statuses].sort()) console.log(`  ${key}: ${n}`);
console.log(`RSS (MB) over time: ${rss.map((s) => `${s.atSeconds}s=${s.mb.toFixed(0)}`).join(' ')}`);
console.log(`RSS trend in the second half: ${slope.toFixed(2)} MB/min (mean ${meanRss.toFixed(0)} MB)${growing ? ' GROWING' : ''}`);
console.log(`emails enqueued ${enqueued}, received ${ids.length}, lost ${lost}, duplicated ${duplicated}, redelivered after a cut with the same Message-ID ${redelivered}`);

channels.email.close?.();
await t.close();
await dbProxy.close();
await smtpProxy.close();
await new Promise<void>((resolve) => smtp.close(() => resolve()));
const failed = lost > 0 || duplicated > 0 || errors500 > 0 || growing;
if (failed) console.log(`soak FAILED: lost ${lost}, duplicated ${duplicated}, 500s ${errors500}, RSS growing ${growing}`);
process.exit(failed ? 1 : 0);
