// SMS texts: one 160-character GSM-7 segment each (Romanian without diacritics, which are
// not in GSM-7). Codes and PIN halves are the only variable parts.
import type { Language } from '../../domain/language.ts';
import type { MessageParams } from '../message.ts';

// The flows' own SMS texts are in their <flow>.templates.ts; this one serves several flows.
type SmsKinds = 'contact_verification_code';
type Templates = { [K in SmsKinds]: (p: MessageParams[K]) => string };

export const smsTexts: Record<Language, Templates> = {
  it: {
    contact_verification_code: (p) => `Varco: il tuo codice di verifica è ${p.code}. Vale ${p.validMinutes} minuti. Non comunicarlo a nessuno.`,
  },
  en: {
    contact_verification_code: (p) => `Varco: your verification code is ${p.code}. Valid for ${p.validMinutes} minutes. Never share it.`,
  },
  ro: {
    contact_verification_code: (p) => `Varco: codul de verificare este ${p.code}. Valabil ${p.validMinutes} minute. Nu il dati nimanui.`,
  },
};
