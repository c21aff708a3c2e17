import type { Config } from '../../config.ts';
import type { Channels } from './channel.ts';
import { devChannel } from './dev.channel.ts';
import { createEmailChannel } from './email.channel.ts';
import { createSmsChannel } from './sms.channel.ts';

export type { Channels, DeliveryChannel, DeliverableMessage } from './channel.ts';
export { devChannel } from './dev.channel.ts';

/** Real channels where their settings are given; the development no-op elsewhere. */
export function createChannels(config: Config): Channels {
  const email = config.smtpUrl ? createEmailChannel(config.smtpUrl, config.mailFrom) : devChannel;
  // PEC goes through its own provider when one is configured, else through the email pool.
  const pec = config.pecSmtpUrl ? createEmailChannel(config.pecSmtpUrl, config.mailFrom) : email;
  return {
    email,
    pec,
    sms: config.smsGatewayUrl ? createSmsChannel(config.smsGatewayUrl, config.smsGatewayAuthHeader) : devChannel,
  };
}
