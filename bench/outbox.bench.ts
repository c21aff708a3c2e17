// Messages per second drained from the outbox to an SMTP server in another process, with 1, 2
// and 4 workers on one database: PGlite always, PostgreSQL too when BENCH_DATABASE_URL is set.
// Each worker has its own pooled SMTP transport, as separate instances would.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createEmailChannel } from '../src/delivery/channels/email.channel.ts';
import { createOutbox } from '../src/delivery/outbox.ts';
import { messageTemplates } from '../src/flows/manifest.ts';
import { createOutboxWorker } from '../src/delivery/outbox.worker.ts';
import { systemClock } from '../src/domain/clock.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { openIsolatedPostgres } from '../test/helpers/db.ts';

const messageCount = Number(process.env.BENCH_MESSAGES ?? 3000);
const postgresUrl = process.env.BENCH_DATABASE_URL;

async function openBenchDb(kind: 'pglite' | 'postgres'): Promise<Db> {
  if (kind === 'postgres') return openIsolatedPostgres(postgresUrl!);
  const db = await openDb('memory://', '');
  await migrate(db);
  return db;
}

async function fill(db: Db, count: number): Promise<void> {
  const outbox = createOutbox({ clock: systemClock, devMailbox: false, templates: messageTemplates() });
  for (let start = 0; start < count; start += 500) {
    await db.transaction(async (tx) => {
      for (let i = start; i < Math.min(count, start + 500); i++) {
        await outbox.enqueue(tx, { channel: 'email', to: `user${i}@example.it`, kind: 'credential_changed', language: 'it',
          params: { what: 'password', at: new Date().toISOString(), ip: '127.0.0.1' } });
      }
    });
  }
}

async function startSink(): Promise<{ port: number; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/smtp-sink.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return { port: Number(line.toString().trim()), stop: () => child.kill('SIGTERM') };
}

async function countByStatus(db: Db): Promise<{ sent: number; other: number }> {
  const { rows } = await db.query<{ sent: number; other: number }>(
    "SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status <> 'sent')::int AS other FROM outbox");
  return rows[0] ?? { sent: 0, other: 0 };
}

async function drainWith(kind: 'pglite' | 'postgres', workerCount: number, smtpPort: number) {
  const db = await openBenchDb(kind);
  const channels = Array.from({ length: workerCount }, () => createEmailChannel(`smtp://127.0.0.1:${smtpPort}`, 'Varco <bench@varco.test>'));
  try {
    await fill(db, messageCount);
    const workers = channels.map((email) => createOutboxWorker({ db, clock: systemClock, channels: { email, pec: email, sms: email } }));
    const started = performance.now();
    await Promise.all(workers.map(async (worker) => { while ((await worker.runOnce()) > 0); }));
    const seconds = (performance.now() - started) / 1000;
    const { sent, other } = await countByStatus(db);
    return { perSecond: Math.round(sent / seconds), sent, other };
  } finally {
    for (const channel of channels) channel.close();
    await db.close();
  }
}

export async function benchOutbox(): Promise<Record<string, number>> {
  const smtp = await startSink();
  const figures: Record<string, number> = {};
  try {
    for (const kind of postgresUrl ? (['pglite', 'postgres'] as const) : (['pglite'] as const)) {
      for (const workerCount of [1, 2, 4]) {
        const { perSecond, sent, other } = await drainWith(kind, workerCount, smtp.port);
        figures[`outbox_${kind}_w${workerCount}_msg_per_s`] = perSecond;
        figures[`outbox_${kind}_w${workerCount}_sent`] = sent;
        if (other > 0) figures[`outbox_${kind}_w${workerCount}_not_sent`] = other;
      }
    }
  } finally {
    smtp.stop();
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await benchOutbox());
