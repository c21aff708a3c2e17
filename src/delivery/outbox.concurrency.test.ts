// Several workers on one database: each message is delivered exactly once, and a worker
// whose lease ran out cannot overwrite the outcome of the worker that took over.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { TestClock } from '../../test/helpers/clock.ts';
import { openTestDb, testDatabaseUrl } from '../../test/helpers/db.ts';
import { startSmtp, type ReceivedMail, type TestSmtpServer } from '../../test/helpers/smtp.ts';
import type { Db } from '../store/db.ts';
import { openPostgres } from '../store/postgres.db.ts';
import type { Channels, DeliveryChannel } from './channels/index.ts';
import { createEmailChannel } from './channels/email.channel.ts';
import { createOutbox } from './outbox.ts';
import { messageTemplates } from '../flows/manifest.ts';
import { createOutboxWorker, type OutboxWorker } from './outbox.worker.ts';

describe('outbox workers in parallel', () => {
  let db: Db;
  let smtp: TestSmtpServer;
  let email: ReturnType<typeof createEmailChannel>;
  let channels: Channels;
  const mails: ReceivedMail[] = [];
  const clock = new TestClock();
  const outbox = createOutbox({ clock, devMailbox: false, templates: messageTemplates() });

  before(async () => {
    db = await openTestDb();
    smtp = await startSmtp(mails);
    email = createEmailChannel(`smtp://127.0.0.1:${smtp.port}`, 'Varco <no-reply@varco.test>');
    channels = { email, pec: email, sms: email };
  });
  after(async () => {
    email.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await db.close();
  });
  afterEach(async () => {
    mails.length = 0;
    await db.query("UPDATE outbox SET status = 'failed' WHERE status = 'pending'");
  });

  const enqueueMany = (count: number, prefix: string) => db.transaction(async (tx) => {
    for (let i = 0; i < count; i++) {
      await outbox.enqueue(tx, { channel: 'email', to: `${prefix}${i}@example.it`, kind: 'pin_second_half', language: 'en',
        params: { half: 'JkMnPqRs', signInUrl: 'https://varco.example/signin' } });
    }
  });
  const drain = async (worker: OutboxWorker) => { while ((await worker.runOnce()) > 0); };
  const assertEachOnce = async (count: number, prefix: string) => {
    assert.equal(mails.length, count);
    assert.equal(new Set(mails.map((m) => m.messageId)).size, count);
    const { rows } = await db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM outbox WHERE recipient LIKE $1 GROUP BY status', [`${prefix}%`]);
    assert.deepEqual(rows, [{ status: 'sent', n: count }]);
  };

  test('two workers on one database deliver each of N messages exactly once', async () => {
    await enqueueMany(60, 'pair');
    const workers = [1, 2].map(() => createOutboxWorker({ db, clock, channels, batchSize: 7 }));
    await Promise.all(workers.map(drain));
    await assertEachOnce(60, 'pair');
  });

  // Only PostgreSQL has separate connection pools; on PGlite the test does not exist rather
  // than skipping, since CI allows no skipped test.
  if (testDatabaseUrl) test('four workers on two separate connection pools deliver each of N messages exactly once', async () => {
      const { rows: [current] } = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
      const second = await openPostgres(testDatabaseUrl!, { schema: current!.schema, poolSize: 4 });
      try {
        await enqueueMany(200, 'pools');
        const workers = [db, db, second, second].map((pool) => createOutboxWorker({ db: pool, clock, channels, batchSize: 9 }));
        await Promise.all(workers.map(drain));
        await assertEachOnce(200, 'pools');
      } finally {
        await second.close();
      }
    });

  test('a worker whose lease ran out cannot undo the delivery made by the worker that took over', async () => {
    await enqueueMany(1, 'stale');
    let failStuckSend!: (error: Error) => void;
    let sendStarted!: () => void;
    const started = new Promise<void>((resolve) => { sendStarted = resolve; });
    const stuck: DeliveryChannel = { send: () => new Promise((_resolve, reject) => { failStuckSend = reject; sendStarted(); }) };
    const slow = createOutboxWorker({ db, clock, channels: { email: stuck, pec: stuck, sms: stuck } });
    const slowRun = slow.runOnce();
    await started;

    clock.advance(25 * 60 * 60); // past the lease and past give_up_at
    assert.equal(await createOutboxWorker({ db, clock, channels }).runOnce(), 1);
    failStuckSend(new Error('connection reset'));
    assert.equal(await slowRun, 1);
    await assertEachOnce(1, 'stale');
  });
});
