// Email and PEC over SMTP (nodemailer). The Message-ID is derived from the outbox row id,
// so a resend after a crash carries the same id and the receiver can spot the duplicate.
import nodemailer from 'nodemailer';
import type { DeliveryChannel } from './channel.ts';

export function messageIdFor(outboxId: string): string {
  return `<${outboxId}@varco>`;
}

export function createEmailChannel(smtpUrl: string, from: string): DeliveryChannel & { close(): void } {
  const transport = nodemailer.createTransport(smtpUrl, { pool: true, maxConnections: 16, maxMessages: Infinity } as never);
  return {
    async send(message) {
      const info = await transport.sendMail({
        from, to: message.to, subject: message.subject ?? '', text: message.text,
        ...(message.html ? { html: message.html } : {}), messageId: messageIdFor(message.id),
      });
      return { providerId: String(info.messageId ?? messageIdFor(message.id)) };
    },
    close: () => transport.close(),
  };
}
