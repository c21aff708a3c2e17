// The transactional outbox: a message is a row written in the same transaction as the
// state change that causes it, so both commit or neither does. The worker delivers it later.
import type { Clock } from '../domain/clock.ts';
import { addSeconds } from '../domain/clock.ts';
import type { Queryable } from '../store/db.ts';
import { insertOutboxMessage } from './outbox.repo.ts';
import { secretBearingKinds, type MessageKind, type OutgoingMessage } from './message.ts';
import { renderMessage } from './templates/index.ts';
import type { MessageTemplates } from './templates/template-set.ts';

export interface Outbox {
  enqueue<K extends MessageKind>(tx: Queryable, message: OutgoingMessage<K>): Promise<void>;
}

export const giveUpAfterSeconds = 24 * 60 * 60; // a message not delivered within a day is failed

/** `templates`: every kind's texts, merged from the flow manifest (flows/manifest.ts messageTemplates()). */
export function createOutbox(options: { clock: Clock; devMailbox: boolean; templates: Required<MessageTemplates> }): Outbox {
  return {
    async enqueue(tx, message) {
      const now = options.clock.now();
      const rendered = renderMessage(options.templates, message);
      await insertOutboxMessage(tx, {
        channel: message.channel, to: message.to, kind: message.kind, language: message.language, subject: rendered.subject ?? null,
        text: rendered.text, html: rendered.html ?? null, holdsSecret: secretBearingKinds.has(message.kind),
      }, now, addSeconds(now, giveUpAfterSeconds), options.devMailbox);
    },
  };
}
