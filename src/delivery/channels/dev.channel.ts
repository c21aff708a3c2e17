// Development: the dev_mailbox copy was written at enqueue (outbox.ts), so delivering is a
// no-op that only lets the worker mark the row sent and erase secret bodies as in production.
import type { DeliveryChannel } from './channel.ts';

export const devChannel: DeliveryChannel = {
  send: async (message) => ({ providerId: `dev-${message.id}` }),
};
