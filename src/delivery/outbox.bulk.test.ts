// The bulk enqueue (enrolment notices): each message stores the same rows enqueue() would,
// with and without the development copy, whatever the mix of params objects and languages.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TestClock } from '../../test/helpers/clock.ts';
import { openTestDb } from '../../test/helpers/db.ts';
import { messageTemplates } from '../flows/manifest.ts';
import type { Db } from '../store/db.ts';
import type { OutgoingMessage } from './message.ts';
import { createOutbox } from './outbox.ts';

let db: Db;
const clock = new TestClock();
before(async () => { db = await openTestDb(); });
after(() => db.close());

type Stored = { recipient: string; language: string; subject: string; body_text: string; body_html: string; holds_secret: boolean; status: string };
const stored = async (recipients: string[]) => (await db.query<Stored>(
  `SELECT recipient, language, subject, body_text, body_html, holds_secret, status FROM outbox WHERE recipient = ANY($1::text[]) ORDER BY recipient`,
  [recipients])).rows;

for (const devMailbox of [false, true]) {
  test(`enqueueMany stores what enqueue stores, one row a message (development copy ${devMailbox ? 'on' : 'off'})`, async () => {
    const outbox = createOutbox({ clock, devMailbox, templates: messageTemplates() });
    const tag = devMailbox ? 'dev' : 'prod';
    const inps = { administration: 'INPS', firstAccessUrl: 'https://varco.example/assistance' };
    const noipa = { administration: 'NoiPA', firstAccessUrl: 'https://varco.example/assistance' };
    const notice = (to: string, language: 'it' | 'en' | 'ro', params: typeof inps): OutgoingMessage<'enrolment_notice'> =>
      ({ channel: 'email', to: `${tag}-${to}@example.it`, kind: 'enrolment_notice', language, params });
    const bulk = [notice('a', 'it', inps), notice('b', 'en', inps), notice('c', 'it', noipa), notice('d', 'it', { ...inps }), notice('e', 'ro', noipa)];
    await db.transaction((tx) => outbox.enqueueMany(tx, bulk));
    const single = bulk.map((message) => ({ ...message, to: message.to.replace(`${tag}-`, `${tag}-one-`) }));
    await db.transaction(async (tx) => { for (const message of single) await outbox.enqueue(tx, message); });

    const many = await stored(bulk.map((m) => m.to));
    const one = await stored(single.map((m) => m.to));
    assert.equal(many.length, 5);
    assert.deepEqual(many.map((row) => ({ ...row, recipient: row.recipient.replace(`${tag}-`, `${tag}-one-`) })), one);
    assert.ok(many[0]!.body_text.includes('INPS') && many[2]!.body_text.includes('NoiPA'), 'each administration its own text');
    assert.notEqual(many[0]!.subject, many[1]!.subject, 'each language its own text');
    const copies = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dev_mailbox WHERE recipient = ANY($1::text[])', [bulk.map((m) => m.to)]);
    assert.equal(copies.rows[0]!.n, devMailbox ? 5 : 0);
  });
}
