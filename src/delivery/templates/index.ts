// Renders a message in the recipient's language: plain text (what is delivered and what the
// development mailbox shows) and, for email and PEC, a simple HTML twin with no remote content.
import { escapeHtml } from '../../domain/escape-html.ts';
import type { Language } from '../../domain/language.ts';
import type { MessageKind, OutgoingMessage } from '../message.ts';
import { emailFooter, emailTexts } from './email.texts.ts';
import { isSmsKind, smsTexts } from './sms.texts.ts';

export interface RenderedMessage {
  subject?: string;
  text: string;
  html?: string;
}

const urlPattern = /(https?:\/\/\S+)/;

/** One paragraph a line; absolute URLs become links. Everything is escaped, nothing is remote. */
function renderLine(line: string): string {
  return line.split(urlPattern).map((part, i) => {
    const escaped = escapeHtml(part);
    return i % 2 === 1 ? `<a href="${escaped}">${escaped}</a>` : escaped;
  }).join('');
}

function renderHtml(language: Language, subject: string, lines: string[]): string {
  const paragraphs = lines.filter((line) => line !== '').map((line) => `<p>${renderLine(line)}</p>`);
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
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
  const fullSubject = `Varco: ${subject}`;
  return { subject: fullSubject, text: `${all.join('\n')}\n`, html: renderHtml(message.language, fullSubject, all) };
}
