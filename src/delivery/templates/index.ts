// PLACEHOLDER: replaced by the full per-kind, per-language templates.
import type { OutgoingMessage } from '../message.ts';

export interface RenderedMessage {
  subject?: string;
  text: string;
  html?: string;
}

export function renderMessage(message: OutgoingMessage): RenderedMessage {
  const lines = Object.entries(message.params).map(([name, value]) => `${name}:\n${value}`);
  return { subject: message.channel === 'sms' ? undefined : `Varco: ${message.kind}`, text: lines.join('\n') };
}
