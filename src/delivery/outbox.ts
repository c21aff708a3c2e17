// The transactional outbox: a message is a row written in the same transaction as the
// state change that causes it, so both commit or neither does. The worker delivers it later.
import type { Clock } from '../domain/clock.ts';
import { addSeconds } from '../domain/clock.ts';
import type { Queryable } from '../store/db.ts';
import { secretBearingKinds, type MessageKind, type OutgoingMessage } from './message.ts';
import { renderMessage } from './templates/index.ts';

export interface Outbox {
  enqueue<K extends MessageKind>(tx: Queryable, message: OutgoingMessage<K>): Promise<void>;
  /**
   * Many messages in one statement (bulk enrolment): the round trips per message, not the
   * rows, are what a statement a message would cost. Same rows as enqueue().
   */
  enqueueMany(tx: Queryable, messages: readonly OutgoingMessage[]): Promise<void>;
}

export const giveUpAfterSeconds = 24 * 60 * 60; // a message not delivered within a day is failed

export function createOutbox(options: { clock: Clock; devMailbox: boolean }): Outbox {
  return {
    enqueueMany: (tx, messages) => enqueueMany(tx, messages, options),
    async enqueue(tx, message) {
      const now = options.clock.now();
      const rendered = renderMessage(message);
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO outbox (channel, recipient, kind, language, subject, body_text, body_html, holds_secret,
                             next_attempt_at, give_up_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9) RETURNING id`,
        [
          message.channel,
          message.to,
          message.kind,
          message.language,
          rendered.subject ?? null,
          rendered.text,
          rendered.html ?? null,
          secretBearingKinds.has(message.kind),
          now,
          addSeconds(now, giveUpAfterSeconds),
        ],
      );
      if (options.devMailbox) {
        await tx.query(
          `INSERT INTO dev_mailbox (message_id, channel, recipient, kind, subject, body_text, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [inserted.rows[0]?.id, message.channel, message.to, message.kind, rendered.subject ?? null, rendered.text, now],
        );
      }
    },
  };
}

const columns = ['channel', 'recipient', 'kind', 'language', 'subject', 'body_text', 'body_html', 'holds_secret'] as const;

async function enqueueMany(tx: Queryable, messages: readonly OutgoingMessage[], options: { clock: Clock; devMailbox: boolean }): Promise<void> {
  if (messages.length === 0) return;
  const now = options.clock.now();
  const values: unknown[][] = columns.map(() => []);
  // A bulk send is mostly one text to many recipients: each distinct text is rendered once.
  const renderedBy = new Map<string, ReturnType<typeof renderMessage>>();
  for (const message of messages) {
    const key = JSON.stringify([message.channel, message.kind, message.language, message.params]);
    const rendered = renderedBy.get(key) ?? renderMessage(message);
    renderedBy.set(key, rendered);
    const row = [message.channel, message.to, message.kind, message.language, rendered.subject ?? null, rendered.text,
      rendered.html ?? null, secretBearingKinds.has(message.kind)];
    row.forEach((value, i) => values[i]!.push(value));
  }
  // The development copy rides in the same statement (a data-modifying CTE), so it costs no round trip.
  const devCopy = options.devMailbox
    ? `, copied AS (INSERT INTO dev_mailbox (message_id, channel, recipient, kind, subject, body_text, created_at)
         SELECT id, channel, recipient, kind, subject, body_text, created_at FROM inserted)`
    : '';
  await tx.query(
    `WITH inserted AS (
       INSERT INTO outbox (channel, recipient, kind, language, subject, body_text, body_html, holds_secret,
                           next_attempt_at, give_up_at, created_at)
       SELECT m.channel, m.recipient, m.kind, m.language, m.subject, m.body_text, m.body_html, m.holds_secret, $9, $10, $9
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[])
         AS m (channel, recipient, kind, language, subject, body_text, body_html, holds_secret)
       RETURNING id, channel, recipient, kind, subject, body_text, created_at)${devCopy}
     SELECT count(*) FROM inserted`,
    [...values, now, addSeconds(now, giveUpAfterSeconds)],
  );
}
