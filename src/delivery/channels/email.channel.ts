// Email and PEC over SMTP (nodemailer). The Message-ID is derived from the outbox row id,
// so a resend after a crash carries the same id and the receiver can spot the duplicate.
import nodemailer from 'nodemailer';
import type { DeliveryChannel } from './channel.ts';

export function messageIdFor(outboxId: string): string {
  return `<${outboxId}@varco>`;
}

export interface EmailChannelOptions {
  /** Parallel SMTP connections kept open; one connection per message caps delivery near 250/s. */
  maxConnections?: number;
}

export function createEmailChannel(smtpUrl: string, from: string, options: EmailChannelOptions = {}): DeliveryChannel & { close(): void } {
  // The url must go in the options object: with a bare url string nodemailer reads `pool`
  // only from the url's query and opens a fresh connection per message.
  // Timeouts stay well under the worker's 60 s lease, so a hung server cannot outlive it.
  const transport = nodemailer.createTransport({
    url: smtpUrl, pool: true, maxConnections: options.maxConnections ?? 8, maxMessages: Infinity,
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000,
  });
  return {
    async send(message) {
      const messageId = messageIdFor(message.id);
      const info = await transport.sendMail({
        from, to: message.to, subject: message.subject ?? '', text: message.text,
        ...(message.html ? { html: message.html } : {}), messageId,
      });
      return { providerId: typeof info.messageId === 'string' ? info.messageId : messageId };
    },
    close: () => transport.close(),
  };
}
