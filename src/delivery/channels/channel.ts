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

/**
 * A failure whose message was built by the channel from status codes only, so it can be
 * stored in outbox.last_error: it never echoes the recipient's body (which may hold a code).
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
}

/** What of an error may be stored and logged: names and codes, never a peer's free text. */
export function describeDeliveryError(error: unknown): string {
  if (error instanceof DeliveryError) return error.message;
  if (!(error instanceof Error)) return 'delivery failed';
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout';
  const { code, responseCode, cause } = error as { code?: unknown; responseCode?: unknown; cause?: { code?: unknown } };
  const parts = [error.name];
  if (typeof code === 'string') parts.push(code);
  if (typeof responseCode === 'number') parts.push(`SMTP ${responseCode}`);
  if (typeof cause?.code === 'string') parts.push(cause.code);
  return parts.join(' ').slice(0, 200);
}
