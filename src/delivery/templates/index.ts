// Renders a message in the recipient's language: plain text (what is delivered and what the
// development mailbox shows) and, for email and PEC, a simple HTML twin with no remote content.
import { escapeHtml } from '../../domain/escape-html.ts';
import type { Language } from '../../domain/language.ts';
import type { MessageKind, OutgoingMessage } from '../message.ts';
import { emailFooter, emailTexts, type CoreEmailKinds } from './email.texts.ts';
import { smsTexts } from './sms.texts.ts';
import type { EmailText, MessageTemplates } from './template-set.ts';

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

/** The messages of no single flow, in the shape every flow's templates take. */
export const coreTemplates: MessageTemplates = {
  email: Object.fromEntries((Object.keys(emailTexts.it) as CoreEmailKinds[]).map((kind) =>
    [kind, { it: emailTexts.it[kind], en: emailTexts.en[kind], ro: emailTexts.ro[kind] }])),
  sms: { contact_verification_code: { it: smsTexts.it.contact_verification_code, en: smsTexts.en.contact_verification_code, ro: smsTexts.ro.contact_verification_code } },
};

/** Renders with the merged templates (core plus every flow's, from the manifest). */
export function renderMessage(templates: Required<MessageTemplates>, message: OutgoingMessage): RenderedMessage {
  const kind: MessageKind = message.kind;
  if (message.channel === 'sms') {
    const template = templates.sms[kind]?.[message.language] as ((params: unknown) => string) | undefined;
    if (!template) throw new Error(`no SMS template for ${kind}`);
    return { text: template(message.params) };
  }
  const template = templates.email[kind]?.[message.language] as ((params: unknown, lang: typeof message.language) => EmailText) | undefined;
  if (!template) throw new Error(`${kind} has no email template (SMS only?)`);
  const { subject, lines } = template(message.params, message.language);
  const all = [...lines, '', ...emailFooter[message.language]];
  const fullSubject = `Varco: ${subject}`;
  return { subject: fullSubject, text: `${all.join('\n')}\n`, html: renderHtml(message.language, fullSubject, all) };
}
