// The outbox against real peers: an in-process SMTP server and an HTTP SMS gateway stub.
// Time is the injected clock throughout: retries and leases expire by advancing it.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, afterEach, before, describe, test } from 'node:test';
import { TestClock } from '../../test/helpers/clock.ts';
import { openTestDb } from '../../test/helpers/db.ts';
import { startSmsGateway, type SmsRequest } from '../../test/helpers/sms-gateway.ts';
import { startSmtp, type ReceivedMail, type TestSmtpServer } from '../../test/helpers/smtp.ts';
import type { Db } from '../store/db.ts';
import { devChannel, type Channels, type DeliveryChannel } from './channels/index.ts';
import { createEmailChannel } from './channels/email.channel.ts';
import { createSmsChannel } from './channels/sms.channel.ts';
import { createOutbox } from './outbox.ts';
import { messageTemplates } from '../flows/manifest.ts';
import { createOutboxWorker, retryDelaySeconds } from './outbox.worker.ts';

interface OutboxRow { id: string; status: string; attempts: number; body_text: string | null; body_html: string | null;
  body_erased_at: Date | null; recipient: string; kind: string; provider_id: string | null; last_error: string | null }

describe('outbox delivery', () => {
  let db: Db;
  let smtp: TestSmtpServer;
  let gateway: Server & { url: string };
  let email: ReturnType<typeof createEmailChannel>;
  let channels: Channels;
  const mails: ReceivedMail[] = [];
  const sms: SmsRequest[] = [];
  const script: string[] = [];
  const clock = new TestClock();
  const outbox = createOutbox({ clock, devMailbox: true, templates: messageTemplates() });

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

  const rowTo = async (recipient: string) =>
    (await db.query<OutboxRow>('SELECT * FROM outbox WHERE recipient = $1', [recipient])).rows[0]!;
  const sendCode = (to: string) => db.transaction((tx) =>
    outbox.enqueue(tx, { channel: 'sms', to, kind: 'password_reset_code', language: 'it', params: { code: '123456', validMinutes: '10' } }));
  const sendTemporaryPassword = (to: string) => db.transaction((tx) =>
    outbox.enqueue(tx, { channel: 'email', to, kind: 'temporary_password', language: 'it',
      params: { temporaryPassword: 'Xk7pQ2mZr9Hd', validUntil: clock.now().toISOString(), signInUrl: 'http://x/signin' } }));

  test('a message is delivered once, with a Message-ID derived from its row, and its secret body is erased', async () => {
    await sendTemporaryPassword('anna@example.it');
    const worker = createOutboxWorker({ db, clock, channels });
    assert.equal(await worker.runOnce(), 1);
    assert.equal(await worker.runOnce(), 0);
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.raw, /Xk7pQ2mZr9Hd/);
    const row = await rowTo('anna@example.it');
    assert.equal(mails[0]!.messageId, `<${row.id}@varco>`);
    assert.equal(row.provider_id, `<${row.id}@varco>`);
    assert.equal(row.status, 'sent');
    assert.equal(row.body_text, null);
    assert.equal(row.body_html, null);
    assert.ok(row.body_erased_at);
    assert.equal(row.kind, 'temporary_password', 'metadata stays');
  });

  test('a body without a secret is kept after delivery', async () => {
    // Security notices carry a "this wasn't me" link, a secret; the enrolment notice carries none.
    await db.transaction((tx) => outbox.enqueue(tx, { channel: 'pec', to: 'notice@pec.example.it', kind: 'enrolment_notice', language: 'en',
      params: { administration: 'NoiPA', firstAccessUrl: 'https://varco.example/signin' } }));
    assert.equal(await createOutboxWorker({ db, clock, channels }).runOnce(), 1);
    const row = await rowTo('notice@pec.example.it');
    assert.equal(row.status, 'sent');
    assert.match(row.body_text ?? '', /NoiPA registered this email address/);
    assert.equal(row.body_erased_at, null);
  });

  test('a gateway failing three times then recovering still delivers, backing off 5, 10, 20 s, with one idempotency key', async () => {
    script.push('fail', 'fail', 'fail');
    await sendCode('+393331234567');
    const worker = createOutboxWorker({ db, clock, channels });
    assert.equal(await worker.runOnce(), 1);
    for (const delay of [5, 10, 20]) {
      clock.advance(delay - 1);
      assert.equal(await worker.runOnce(), 0, `not due before ${delay} s`);
      clock.advance(1);
      assert.equal(await worker.runOnce(), 1, `due after ${delay} s`);
    }
    assert.equal(sms.length, 4);
    assert.equal(new Set(sms.map((r) => r.idempotencyKey)).size, 1);
    assert.match(sms[3]!.text, /\b123456\b/);
    const row = await rowTo('+393331234567');
    assert.deepEqual([row.status, row.provider_id, row.attempts], ['sent', 'sms-4', 4]);
    assert.equal(sms[0]!.idempotencyKey, row.id);
  });

  test('a gateway that times out is retried, not waited on for ever', async () => {
    script.push('hang');
    await sendCode('+393331234568');
    const worker = createOutboxWorker({ db, clock, channels });
    assert.equal(await worker.runOnce(), 1);
    assert.equal((await rowTo('+393331234568')).last_error, 'timeout');
    clock.advance(retryDelaySeconds(1));
    assert.equal(await worker.runOnce(), 1);
    assert.equal(sms.length, 2);
    assert.equal((await rowTo('+393331234568')).status, 'sent');
  });

  test('a worker killed between sending and marking sent: the lease expires and the same Message-ID and key go again', async () => {
    await sendTemporaryPassword('crash@example.it');
    await sendCode('+393331110000');
    // Once a send has returned, every database call of the dying worker fails, as if the process had gone.
    let killed = false;
    const dying: Db = { ...db, query: async (sql, params) => {
      if (killed) throw new Error('process killed');
      return db.query(sql, params);
    } };
    const killAfterSend = (channel: DeliveryChannel): DeliveryChannel => ({
      send: async (message) => { const result = await channel.send(message); killed = true; return result; },
    });
    const crashing = createOutboxWorker({ db: dying, clock,
      channels: { email: killAfterSend(channels.email), pec: killAfterSend(channels.pec), sms: killAfterSend(channels.sms) } });
    await assert.rejects(crashing.runOnce(), /process killed/);
    assert.deepEqual([mails.length, sms.length], [1, 1]);

    const worker = createOutboxWorker({ db, clock, channels });
    assert.equal(await worker.runOnce(), 0, 'the lease still holds');
    clock.advance(60);
    assert.equal(await worker.runOnce(), 2);
    assert.deepEqual([mails.length, sms.length], [2, 2]);
    assert.equal(mails[0]!.messageId, mails[1]!.messageId);
    assert.equal(sms[0]!.idempotencyKey, sms[1]!.idempotencyKey);
    assert.equal((await rowTo('crash@example.it')).status, 'sent');
    assert.equal((await rowTo('+393331110000')).status, 'sent');
  });

  test('a rolled-back transaction sends nothing', async () => {
    await assert.rejects(db.transaction(async (tx) => {
      await outbox.enqueue(tx, { channel: 'email', to: 'rollback@example.it', kind: 'credential_changed', language: 'en',
        params: { what: 'password', at: clock.now().toISOString(), ip: '127.0.0.1' } });
      throw new Error('the state change failed');
    }));
    assert.equal(await createOutboxWorker({ db, clock, channels }).runOnce(), 0);
    assert.equal(mails.length, 0);
    assert.equal((await db.query("SELECT 1 FROM outbox WHERE recipient = 'rollback@example.it'")).rows.length, 0);
    assert.equal((await db.query("SELECT 1 FROM dev_mailbox WHERE recipient = 'rollback@example.it'")).rows.length, 0);
  });

  test('a message still undelivered after a day is failed, with a reason free of secrets and its secret erased', async () => {
    script.push(...Array<string>(40).fill('fail'));
    await sendCode('+393339999999');
    const worker = createOutboxWorker({ db, clock, channels });
    for (let hour = 0; hour < 26; hour++) {
      await worker.runOnce();
      clock.advance(3600);
    }
    const row = await rowTo('+393339999999');
    assert.equal(row.status, 'failed');
    assert.equal(row.last_error, 'SMS gateway answered 500');
    assert.equal(row.body_text, null);
    assert.ok(row.body_erased_at);
    assert.equal(await worker.runOnce(), 0, 'a failed message is not retried');
  });

  test('development delivery is a no-op: the mailbox copy was written at enqueue', async () => {
    await sendCode('+393330000000');
    const worker = createOutboxWorker({ db, clock, channels: { email: devChannel, pec: devChannel, sms: devChannel } });
    assert.equal(await worker.runOnce(), 1);
    assert.equal(sms.length, 0);
    const copy = await db.query<{ body_text: string }>("SELECT body_text FROM dev_mailbox WHERE recipient = '+393330000000'");
    assert.match(copy.rows[0]!.body_text, /123456/);
    assert.equal((await rowTo('+393330000000')).status, 'sent');
  });

  test('start() drains in the background and stop() waits for the batch in hand', async () => {
    for (let i = 0; i < 5; i++) await sendTemporaryPassword(`loop${i}@example.it`);
    const worker = createOutboxWorker({ db, clock, channels, batchSize: 2 });
    worker.start(5);
    worker.start(5); // a second start is ignored rather than doubling the loop
    for (let tries = 0; mails.length < 5 && tries < 400; tries++) await new Promise((resolve) => setTimeout(resolve, 5));
    await worker.stop();
    assert.equal(mails.length, 5);
    const pending = await db.query("SELECT 1 FROM outbox WHERE recipient LIKE 'loop%' AND status <> 'sent'");
    assert.equal(pending.rows.length, 0);
  });
});

test('retry delays double from 5 s up to the cap, and jitter keeps them between half and all of that', () => {
  assert.deepEqual([1, 2, 3, 4, 20].map((n) => retryDelaySeconds(n)), [5, 10, 20, 40, 3600]);
  const policy = { firstDelaySeconds: 5, maxDelaySeconds: 3600, leaseSeconds: 60 };
  const low = { bytes: () => Buffer.alloc(0), int: (min: number) => min };
  const high = { bytes: () => Buffer.alloc(0), int: (_min: number, max: number) => max - 1 };
  assert.equal(retryDelaySeconds(3, { ...policy, jitter: low }), 10);
  assert.equal(retryDelaySeconds(3, { ...policy, jitter: high }), 20);
});
