// The texts of each message kind, by channel and language. Flows bring their own (their
// `<flow>.templates.ts`, listed in the manifest); delivery only receives the merged set, so it
// never imports a flow to learn what a flow sends.
import type { Language } from '../../domain/language.ts';
import type { MessageKind, MessageParams } from '../message.ts';

export interface EmailText {
  subject: string;
  lines: string[];
}

export type EmailTemplate<K extends MessageKind> = (params: MessageParams[K], language: Language) => EmailText;
export type SmsTemplate<K extends MessageKind> = (params: MessageParams[K]) => string;

export interface MessageTemplates {
  email?: { [K in MessageKind]?: Record<Language, EmailTemplate<K>> };
  sms?: { [K in MessageKind]?: Record<Language, SmsTemplate<K>> };
}

/** One set from many; a kind defined twice for a channel is a programming error. */
export function mergeTemplates(sets: readonly MessageTemplates[]): Required<MessageTemplates> {
  const merged: Required<MessageTemplates> = { email: {}, sms: {} };
  for (const set of sets) {
    for (const channel of ['email', 'sms'] as const) {
      for (const [kind, texts] of Object.entries(set[channel] ?? {})) {
        if (kind in merged[channel]) throw new Error(`two ${channel} templates for ${kind}`);
        (merged[channel] as Record<string, unknown>)[kind] = texts;
      }
    }
  }
  return merged;
}
