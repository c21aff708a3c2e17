// Issue 15: a message that fails its worker every time is failed after its attempts, not
// claimed for ever: whether the channel refuses it or the worker dies holding it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TestClock } from '../../test/helpers/clock.ts';
import { openTestDb } from '../../test/helpers/db.ts';
import { messageTemplates } from '../flows/manifest.ts';
import type { Db } from '../store/db.ts';
import type { Channels, DeliveryChannel } from './channels/index.ts';
import { claimDue } from './outbox.repo.ts';
import { createOutbox } from './outbox.ts';
import { createOutboxWorker } from './outbox.worker.ts';

let db: Db;
const clock = new TestClock();
const outbox = createOutbox({ clock, devMailbox: false, templates: messageTemplates() });
before(async () => { db = await openTestDb(); });
after(() => db.close());

const refusing: DeliveryChannel = { send: async () => { throw new Error('poison message'); } };
const channels = { email: refusing, pec: refusing, sms: refusing } as unknown as Channels;
const enqueue = (to: string) => db.transaction((tx) => outbox.enqueue(tx, { channel: 'sms', to, kind: 'password_reset_code', language: 'it',
  params: { code: '123456', validMinutes: '10' } }));
const statusOf = async (to: string) => (await db.query<{ status: string; attempts: number; body_text: string | null }>(
  'SELECT status, attempts, body_text FROM outbox WHERE recipient = $1', [to])).rows[0]!;

test('a message its channel always refuses is failed after maxAttempts, well before its give-up time', async () => {
  await enqueue('+393330000001');
  const worker = createOutboxWorker({ db, clock, channels, retry: { firstDelaySeconds: 1, maxDelaySeconds: 1, maxAttempts: 3 } });
  for (let i = 0; i < 5; i++) { await worker.runOnce(); clock.advance(2); }
  const row = await statusOf('+393330000001');
  assert.deepEqual([row.status, row.attempts], ['failed', 3]);
  assert.equal(row.body_text, null, 'the code nobody received is erased');
});

test('a message whose worker dies every time (the lease just expires) is failed too', async () => {
  await enqueue('+393330000002');
  for (let i = 0; i < 4; i++) {
    await claimDue(db, clock.now(), new Date(clock.now().getTime() + 60_000), 10); // claimed, then the worker "crashes"
    clock.advance(61);
  }
  const worker = createOutboxWorker({ db, clock, channels, retry: { maxAttempts: 4 } });
  assert.equal(await worker.runOnce(), 0, 'not claimed a fifth time');
  assert.equal((await statusOf('+393330000002')).status, 'failed');
});
