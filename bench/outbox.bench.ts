import { spawn } from 'node:child_process';
import { once } from 'node:events';
// Messages per second drained from the outbox to an SMTP server in another process, with 1, 2 and
// 4 workers on one database.
import { createEmailChannel } from '../src/delivery/channels/email.channel.ts';
import { createOutbox } from '../src/delivery/outbox.ts';
import { createOutboxWorker } from '../src/delivery/outbox.worker.ts';
import { systemClock } from '../src/domain/clock.ts';
import { openDb, type Db } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { openIsolatedPostgres } from '../test/helpers/db.ts';

const messageCount = Number(process.env.BENCH_MESSAGES ?? 3000);

async function openBenchDb(): Promise<Db> {
  if (process.env.BENCH_DATABASE_URL) return openIsolatedPostgres(process.env.BENCH_DATABASE_URL);
  const db = await openDb('memory://', '');
  await migrate(db);
  return db;
}

async function fill(db: Db, count: number): Promise<void> {
  const outbox = createOutbox({ clock: systemClock, devMailbox: false });
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

async function sentCount(db: Db): Promise<number> {
  return (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status = 'sent'")).rows[0]?.n ?? 0;
}

export async function benchOutbox(): Promise<Record<string, number>> {
  const smtp = await startSink();
  const figures: Record<string, number> = {};
  for (const workerCount of [1, 2, 4]) {
    const db = await openBenchDb();
    const channel = createEmailChannel(`smtp://127.0.0.1:${smtp.port}`, 'Varco <bench@varco.test>');
    await fill(db, messageCount);
    const workers = Array.from({ length: workerCount }, () =>
      createOutboxWorker({ db, clock: systemClock, channels: { email: channel, pec: channel, sms: channel } }));
    const started = performance.now();
    await Promise.all(workers.map(async (worker) => { while ((await worker.runOnce()) > 0); }));
    const seconds = (performance.now() - started) / 1000;
    const delivered = await sentCount(db);
    figures[`outbox_messages_per_s_w${workerCount}`] = delivered / seconds;
    figures[`outbox_delivered_w${workerCount}`] = delivered;
    channel.close();
    await db.close();
  }
  smtp.stop();
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await benchOutbox());
