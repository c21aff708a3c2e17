// Renders a message in the recipient's language: plain text (what is delivered and what the
// development mailbox shows) and, for email and PEC, a simple HTML twin with no remote content.
import { escapeHtml } from '../../web/html.ts';
import type { MessageKind, OutgoingMessage } from '../message.ts';
import { emailFooter, emailTexts } from './email.texts.ts';
import { isSmsKind, smsTexts } from './sms.texts.ts';

export interface RenderedMessage {
  subject?: string;
  text: string;
  html?: string;
}

function renderHtml(subject: string, lines: string[]): string {
  const paragraphs = lines.filter((line) => line !== '').map((line) => {
    const escaped = escapeHtml(line);
    return /^https?:\/\/\S+$/.test(line) ? `<p><a href="${escaped}">${escaped}</a></p>` : `<p>${escaped}</p>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="font-family:sans-serif;max-width:36rem">${paragraphs.join('')}</body></html>`;
}

export function renderMessage(message: OutgoingMessage): RenderedMessage {
  const kind: MessageKind = message.kind;
  if (message.channel === 'sms') {
    if (!isSmsKind(kind)) throw new Error(`no SMS template for ${kind}`);
    const template = smsTexts[message.language][kind] as (params: unknown) => string;
    return { text: template(message.params) };
  }
  if (kind === 'password_reset_code' || kind === 'pin_first_half') throw new Error(`${kind} is sent by SMS only`);
  const template = emailTexts[message.language][kind] as (params: unknown, lang: typeof message.language) => { subject: string; lines: string[] };
  const { subject, lines } = template(message.params, message.language);
  const all = [...lines, '', ...emailFooter[message.language]];
  return { subject: `Varco: ${subject}`, text: `${all.join('\n')}\n`, html: renderHtml(subject, all) };
}
