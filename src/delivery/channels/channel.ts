/** A message as a channel sends it; `id` is the outbox row id, the idempotency key. */
export interface DeliverableMessage {
  id: string;
  to: string;
  kind: string;
  subject: string | null;
  text: string;
  html: string | null;
}

export interface DeliveryChannel {
  send(message: DeliverableMessage): Promise<{ providerId: string }>;
  /** Releases pooled connections, where the channel keeps any. */
  close?(): void;
}

export type Channels = Record<'email' | 'sms' | 'pec', DeliveryChannel>;
