// SMS through an HTTP gateway: JSON POST { to, text, idempotencyKey }. The key is the
// outbox row id, so a gateway that honours it sends a retried message once.
import { DeliveryError, type DeliveryChannel } from './channel.ts';

/** "Name: value" (SMS_GATEWAY_AUTH_HEADER) as a header entry; a value without a name is refused. */
export function parseHeaderLine(line: string): [string, string] {
  const separator = line.indexOf(':');
  const name = line.slice(0, separator).trim();
  if (separator <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new Error('SMS_GATEWAY_AUTH_HEADER must look like "Name: value"');
  }
  return [name, line.slice(separator + 1).trim()];
}

export function createSmsChannel(url: string, authHeader: string | undefined, timeoutMs = 10_000): DeliveryChannel {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (authHeader) {
    const [name, value] = parseHeaderLine(authHeader);
    headers[name] = value;
  }
  return {
    async send(message) {
      const response = await fetch(url, {
        method: 'POST', headers, signal: AbortSignal.timeout(timeoutMs),
        body: JSON.stringify({ to: message.to, text: message.text, idempotencyKey: message.id }),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new DeliveryError(`SMS gateway answered ${response.status}`);
      }
      const body = (await response.json().catch(() => ({}))) as { id?: unknown };
      const id = typeof body.id === 'string' || typeof body.id === 'number' ? String(body.id) : '';
      return { providerId: id || message.id };
    },
  };
}
