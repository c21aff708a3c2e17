// SMS through an HTTP gateway: JSON POST { to, text, idempotencyKey }. The key is the
// outbox row id, so a gateway that honours it sends a retried message once.
import type { DeliveryChannel } from './channel.ts';

export function createSmsChannel(url: string, authHeader: string | undefined, timeoutMs = 10_000): DeliveryChannel {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authHeader) {
    const separator = authHeader.indexOf(':');
    headers[authHeader.slice(0, separator).trim()] = authHeader.slice(separator + 1).trim();
  }
  return {
    async send(message) {
      const response = await fetch(url, {
        method: 'POST', headers, signal: AbortSignal.timeout(timeoutMs),
        body: JSON.stringify({ to: message.to, text: message.text, idempotencyKey: message.id }),
      });
      if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
      const body = (await response.json().catch(() => ({}))) as { id?: unknown };
      return { providerId: typeof body.id === 'string' ? body.id : message.id };
    },
  };
}
