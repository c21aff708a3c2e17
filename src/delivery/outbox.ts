// The transactional outbox: a message is a row written in the same transaction as the
// state change that causes it, so both commit or neither does. The worker delivers it later.
import type { Clock } from '../domain/clock.ts';
import { addSeconds } from '../domain/clock.ts';
import type { Queryable } from '../store/db.ts';
import { insertOutboxMessage, insertOutboxMessages } from './outbox.repo.ts';
import { secretBearingKinds, type MessageKind, type OutgoingMessage } from './message.ts';
import { renderMessage } from './templates/index.ts';
import type { MessageTemplates } from './templates/template-set.ts';

export interface Outbox {
  enqueue<K extends MessageKind>(tx: Queryable, message: OutgoingMessage<K>): Promise<void>;
  /**
   * Many messages in one statement (bulk enrolment): the round trips per message, not the
   * rows, are what a statement a message would cost. Same rows as enqueue().
   */
  enqueueMany(tx: Queryable, messages: readonly OutgoingMessage[]): Promise<void>;
}

export const giveUpAfterSeconds = 24 * 60 * 60; // a message not delivered within a day is failed

/** `templates`: every kind's texts, merged from the flow manifest (flows/manifest.ts messageTemplates()). */
export function createOutbox(options: { clock: Clock; devMailbox: boolean; templates: Required<MessageTemplates> }): Outbox {
  return {
    enqueueMany: (tx, messages) => enqueueMany(tx, messages, options),
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

async function enqueueMany(tx: Queryable, messages: readonly OutgoingMessage[], options: { clock: Clock; devMailbox: boolean; templates: Required<MessageTemplates> }): Promise<void> {
  if (messages.length === 0) return;
  const now = options.clock.now();
  // A bulk send is mostly one text to many recipients, its messages sharing one params object:
  // each distinct text is rendered once, found by that object and the channel, kind and
  // language (no key built per message). Equal params in different objects only render again.
  const renderedBy = new Map<object, Map<string, ReturnType<typeof renderMessage>>>();
  const rows = messages.map((message) => {
    const byParams = renderedBy.get(message.params) ?? new Map<string, ReturnType<typeof renderMessage>>();
    renderedBy.set(message.params, byParams);
    const variant = `${message.channel} ${message.kind} ${message.language}`;
    const rendered = byParams.get(variant) ?? renderMessage(options.templates, message);
    byParams.set(variant, rendered);
    return { channel: message.channel, to: message.to, kind: message.kind, language: message.language, subject: rendered.subject ?? null,
      text: rendered.text, html: rendered.html ?? null, holdsSecret: secretBearingKinds.has(message.kind) };
  });
  await insertOutboxMessages(tx, rows, now, addSeconds(now, giveUpAfterSeconds), options.devMailbox);
}
