// The outbox against real peers: an in-process SMTP server and an HTTP SMS gateway stub.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, afterEach, before, describe, test } from 'node:test';
import { TestClock } from '../../test/helpers/clock.ts';
import { startSmsGateway, type SmsRequest } from '../../test/helpers/sms-gateway.ts';
import { startSmtp, type ReceivedMail, type TestSmtpServer } from '../../test/helpers/smtp.ts';
import { openTestDb } from '../../test/helpers/db.ts';
import type { Db } from '../store/db.ts';
import { devChannel, type Channels } from './channels/index.ts';
import { createEmailChannel } from './channels/email.channel.ts';
import { createSmsChannel } from './channels/sms.channel.ts';
import { createOutbox } from './outbox.ts';
import { createOutboxWorker } from './outbox.worker.ts';


describe('outbox delivery', () => {
  let db: Db;
  let smtp: TestSmtpServer;
  let gateway: Server & { url: string };
  let email: ReturnType<typeof createEmailChannel>;
  const mails: ReceivedMail[] = [];
  const sms: SmsRequest[] = [];
  const script: string[] = [];
  const clock = new TestClock();
  const outbox = createOutbox({ clock, devMailbox: true });
  let channels: Channels;

  before(async () => {
    db = await openTestDb();
    smtp = await startSmtp(mails);
    gateway = await startSmsGateway(sms, script);
    email = createEmailChannel(`smtp://127.0.0.1:${smtp.port}`, 'Varco <no-reply@varco.test>');
    channels = { email, pec: email, sms: createSmsChannel(gateway.url, 'Authorization: Bearer t', 300) };
  });
  after(async () => {
    email.close();
    gateway.closeAllConnections();
    await new Promise((resolve) => gateway.close(resolve));
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await db.close();
  });
  afterEach(async () => {
    mails.length = 0;
    sms.length = 0;
    script.length = 0;
    await db.query("UPDATE outbox SET status = 'failed' WHERE status = 'pending'");
  });

  const sendCode = (to = '+393331234567') => db.transaction((tx) =>
    outbox.enqueue(tx, { channel: 'sms', to, kind: 'password_reset_code', language: 'it', params: { code: '123456', validMinutes: '10' } }));
  const sendTemporaryPassword = (to = 'anna@example.it') => db.transaction((tx) =>
    outbox.enqueue(tx, { channel: 'email', to, kind: 'temporary_password', language: 'it',
      params: { temporaryPassword: 'Xk7pQ2mZr9Hd', validUntil: clock.now().toISOString(), signInUrl: 'http://x/signin' } }));

  test('a message is delivered once, with a stable Message-ID, and its secret body is erased', async () => {
    await sendTemporaryPassword();
    const worker = createOutboxWorker({ db, clock, channels });
    assert.equal(await worker.runOnce(), 1);
    assert.equal(await worker.runOnce(), 0);
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.raw, /Xk7pQ2mZr9Hd/);
    const row = (await db.query<{ id: string; status: string; body_text: string | null; body_erased_at: Date | null; kind: string; recipient: string }>(
      "SELECT id, status, body_text, body_erased_at, kind, recipient FROM outbox WHERE kind = 'temporary_password'")).rows[0]!;
    assert.equal(mails[0]!.messageId, `<${row.id}@varco>`);
    assert.equal(row.status, 'sent');
    assert.equal(row.body_text, null);
    assert.ok(row.body_erased_at);
    assert.equal(row.recipient, 'anna@example.it', 'metadata stays');
  });

  test('a gateway failing three times then recovering still delivers, with one idempotency key', async () => {
    script.push('fail', 'fail', 'fail');
    await sendCode();
    const worker = createOutboxWorker({ db, clock, channels });
    for (let attempt = 0; attempt < 4; attempt++) {
      assert.equal(await worker.runOnce(), 1, `attempt ${attempt + 1}`);
      assert.equal(await worker.runOnce(), 0, 'not due again before its backoff');
      clock.advance(3600);
    }
    assert.equal(sms.length, 4);
    assert.equal(new Set(sms.map((r) => r.idempotencyKey)).size, 1);
    assert.match(sms[3]!.text, /123456/);
    const row = (await db.query<{ status: string; provider_id: string }>("SELECT status, provider_id FROM outbox WHERE channel = 'sms' AND status <> 'failed'")).rows[0]!;
    assert.deepEqual(row, { status: 'sent', provider_id: 'sms-4' });
  });

  test('a gateway that times out is retried, not waited on for ever', async () => {
    script.push('hang');
    await sendCode();
    const worker = createOutboxWorker({ db, clock, channels });
    assert.equal(await worker.runOnce(), 1);
    clock.advance(3600);
    assert.equal(await worker.runOnce(), 1);
    assert.equal(sms.length, 2);
    assert.equal((await db.query("SELECT 1 FROM outbox WHERE channel = 'sms' AND status = 'sent'")).rows.length, 2);
  });

  test('a worker killed between sending and marking sent resends with the same Message-ID', async () => {
    await sendTemporaryPassword('crash@example.it');
    // After the send, every database call of the dying worker fails, as if the process had gone.
    let killed = false;
    const dying: Db = { ...db, query: async (sql, params) => {
      if (killed || sql.includes("status = 'sent'")) { killed = true; throw new Error('process killed'); }
      return db.query(sql, params);
    } };
    const crashing = createOutboxWorker({ db: dying, clock, channels });
    await assert.rejects(crashing.runOnce(), /process killed/);
    assert.equal(mails.length, 1);
    const worker = createOutboxWorker({ db, clock, channels });
    assert.equal(await worker.runOnce(), 0, 'the lease still holds');
    clock.advance(61);
    assert.equal(await worker.runOnce(), 1);
    assert.equal(mails.length, 2);
    assert.equal(mails[0]!.messageId, mails[1]!.messageId);
  });

  test('a rolled-back transaction sends nothing', async () => {
    await assert.rejects(db.transaction(async (tx) => {
      await outbox.enqueue(tx, { channel: 'email', to: 'rollback@example.it', kind: 'credential_changed', language: 'en',
        params: { what: 'password', at: clock.now().toISOString(), ip: '127.0.0.1' } });
      throw new Error('the state change failed');
    }));
    assert.equal(await createOutboxWorker({ db, clock, channels }).runOnce(), 0);
    assert.equal(mails.length, 0);
    assert.equal((await db.query("SELECT 1 FROM dev_mailbox WHERE recipient = 'rollback@example.it'")).rows.length, 0);
  });

  test('two workers on one database deliver each message exactly once', async () => {
    for (let i = 0; i < 40; i++) await sendTemporaryPassword(`worker${i}@example.it`);
    const workers = [createOutboxWorker({ db, clock, channels, batchSize: 5 }), createOutboxWorker({ db, clock, channels, batchSize: 5 })];
    const drain = async (worker: (typeof workers)[number]) => { while ((await worker.runOnce()) > 0); };
    await Promise.all(workers.map(drain));
    assert.equal(mails.length, 40);
    assert.equal(new Set(mails.map((m) => m.messageId)).size, 40);
  });

  test('a message still undelivered after a day is marked failed for operators', async () => {
    script.push(...Array(30).fill('fail'));
    await sendCode('+393339999999');
    const worker = createOutboxWorker({ db, clock, channels });
    for (let hour = 0; hour < 26; hour++) {
      await worker.runOnce();
      clock.advance(3600);
    }
    const row = (await db.query<{ status: string; last_error: string }>("SELECT status, last_error FROM outbox WHERE recipient = '+393339999999'")).rows[0]!;
    assert.equal(row.status, 'failed');
    assert.match(row.last_error, /500/);
  });

  test('development delivery is a no-op: the mailbox copy was written at enqueue', async () => {
    await sendCode('+393330000000');
    const worker = createOutboxWorker({ db, clock, channels: { email: devChannel, pec: devChannel, sms: devChannel } });
    assert.equal(await worker.runOnce(), 1);
    const copy = await db.query<{ body_text: string }>("SELECT body_text FROM dev_mailbox WHERE recipient = '+393330000000'");
    assert.match(copy.rows[0]!.body_text, /123456/);
  });
});
