// The development mailbox as the acceptance tests read it (shared/API.md, "Development mailbox").
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { TestClock } from '../../../test/helpers/clock.ts';
import { openTestDb } from '../../../test/helpers/db.ts';
import type { Db } from '../../store/db.ts';
import { translator } from '../../web/i18n/index.ts';
import { devOutboxRoutes } from './dev-mailbox.routes.ts';
import { createOutbox } from '../../delivery/outbox.ts';
import { messageTemplates } from '../manifest.ts';

let db: Db;
let app: FastifyInstance;
const clock = new TestClock('2026-11-24T09:00:00.000Z');

before(async () => {
  db = await openTestDb();
  const outbox = createOutbox({ clock, devMailbox: true, templates: messageTemplates() });
  await db.transaction(async (tx) => {
    await outbox.enqueue(tx, { channel: 'email', to: 'anna@example.it', kind: 'password_reset_link', language: 'it',
      params: { link: 'https://varco.example/recovery/password/abc', validMinutes: '30' } });
    clock.advance(60);
    await outbox.enqueue(tx, { channel: 'sms', to: '+393331234567', kind: 'password_reset_code', language: 'it',
      params: { code: '123456', validMinutes: '10' } });
    clock.advance(60);
    await outbox.enqueue(tx, { channel: 'email', to: 'anna@example.it', kind: 'enrolment_notice', language: 'en',
      params: { administration: '<NoiPA>', firstAccessUrl: 'https://varco.example/signin' } });
  });
  app = Fastify();
  await app.register(devOutboxRoutes, { db, pageContext: () => ({ lang: 'en', t: translator('en'), path: '/dev/outbox', signedIn: false, csrfToken: '' }) });
});
after(async () => {
  await app.close();
  await db.close();
});

test('GET /dev/outbox?to= answers the messages of that recipient, oldest first, as delivered', async () => {
  const response = await app.inject({ method: 'GET', url: '/dev/outbox?to=anna%40example.it' });
  assert.equal(response.statusCode, 200);
  const { messages } = response.json<{ messages: Record<string, unknown>[] }>();
  assert.deepEqual(messages.map((m) => [m.kind, m.channel, m.to, m.createdAt]), [
    ['password_reset_link', 'email', 'anna@example.it', '2026-11-24T09:00:00.000Z'],
    ['enrolment_notice', 'email', 'anna@example.it', '2026-11-24T09:02:00.000Z'],
  ]);
  const ids = (await db.query<{ id: string }>("SELECT id FROM outbox WHERE recipient = 'anna@example.it' ORDER BY created_at")).rows;
  assert.deepEqual(messages.map((m) => m.id), ids.map((row) => row.id));
  assert.match(String(messages[0]!.subject), /^Varco: /);
  assert.match(String(messages[0]!.text), /^https:\/\/varco\.example\/recovery\/password\/abc$/m);

  const sms = (await app.inject({ method: 'GET', url: '/dev/outbox?to=%2B393331234567' })).json<{ messages: Record<string, unknown>[] }>();
  assert.equal(sms.messages.length, 1);
  assert.equal('subject' in sms.messages[0]!, false, 'an SMS has no subject');
  assert.match(String(sms.messages[0]!.text), /\b123456\b/);
  assert.deepEqual((await app.inject({ method: 'GET', url: '/dev/outbox?to=nobody%40example.it' })).json(), { messages: [] });
});

test('GET /dev/outbox without a recipient is a page, newest first, with values escaped', async () => {
  const response = await app.inject({ method: 'GET', url: '/dev/outbox' });
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.equal(response.headers['cache-control'], 'no-store');
  const page = response.body;
  assert.ok(page.indexOf('enrolment_notice') < page.indexOf('password_reset_code'));
  assert.ok(page.indexOf('password_reset_code') < page.indexOf('password_reset_link'));
  assert.ok(page.includes('&lt;NoiPA&gt;'));
  assert.ok(!page.includes('<NoiPA>'));
});

test('an over-long recipient is refused by the schema', async () => {
  const response = await app.inject({ method: 'GET', url: `/dev/outbox?to=${'a'.repeat(321)}` });
  assert.equal(response.statusCode, 400);
});
