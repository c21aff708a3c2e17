// The transactional outbox: a message is a row written in the same transaction as the
// state change that causes it, so both commit or neither does. The worker delivers it later.
import type { Clock } from '../domain/clock.ts';
import { addSeconds } from '../domain/clock.ts';
import type { Queryable } from '../store/db.ts';
import { secretBearingKinds, type MessageKind, type OutgoingMessage } from './message.ts';
import { renderMessage } from './templates/index.ts';

export interface Outbox {
  enqueue<K extends MessageKind>(tx: Queryable, message: OutgoingMessage<K>): Promise<void>;
}

export const giveUpAfterSeconds = 24 * 60 * 60; // a message not delivered within a day is failed

export function createOutbox(options: { clock: Clock; devMailbox: boolean }): Outbox {
  return {
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
