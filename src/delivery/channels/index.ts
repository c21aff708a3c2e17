import type { Config } from '../../config.ts';
import type { Channels, DeliveryChannel } from './channel.ts';
import { createEmailChannel } from './email.channel.ts';
import { createSmsChannel } from './sms.channel.ts';

export type { Channels, DeliveryChannel, DeliverableMessage } from './channel.ts';

/** Development: the dev mailbox copy was written at enqueue, so delivering is a no-op. */
export const devChannel: DeliveryChannel = { send: async (message) => ({ providerId: `dev-${message.id}` }) };

export function createChannels(config: Config): Channels {
  const email = config.smtpUrl ? createEmailChannel(config.smtpUrl, config.mailFrom) : devChannel;
  const pecUrl = config.pecSmtpUrl ?? config.smtpUrl;
  return {
    email,
    pec: pecUrl ? createEmailChannel(pecUrl, config.mailFrom) : devChannel,
    sms: config.smsGatewayUrl ? createSmsChannel(config.smsGatewayUrl, config.smsGatewayAuthHeader) : devChannel,
  };
}
