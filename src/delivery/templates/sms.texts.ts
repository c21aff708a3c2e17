// SMS texts: one 160-character GSM-7 segment each (Romanian without diacritics, which are
// not in GSM-7). Codes and PIN halves are the only variable parts.
import type { Language } from '../../domain/language.ts';
import type { MessageParams } from '../message.ts';

type SmsKinds = 'password_reset_code' | 'pin_first_half' | 'contact_verification_code';
type Templates = { [K in SmsKinds]: (p: MessageParams[K]) => string };

export const smsTexts: Record<Language, Templates> = {
  it: {
    password_reset_code: (p) => `Varco: il codice per recuperare la password è ${p.code}. Vale ${p.validMinutes} minuti. Non comunicarlo a nessuno.`,
    pin_first_half: (p) => `Varco: prima parte del tuo PIN:\n${p.half}\nLa seconda arriva per email. Non comunicarla a nessuno.`,
    contact_verification_code: (p) => `Varco: il tuo codice di verifica è ${p.code}. Vale ${p.validMinutes} minuti. Non comunicarlo a nessuno.`,
  },
  en: {
    password_reset_code: (p) => `Varco: your password recovery code is ${p.code}. Valid for ${p.validMinutes} minutes. Never share it.`,
    pin_first_half: (p) => `Varco: first half of your PIN:\n${p.half}\nThe second half comes by email. Never share it.`,
    contact_verification_code: (p) => `Varco: your verification code is ${p.code}. Valid for ${p.validMinutes} minutes. Never share it.`,
  },
  ro: {
    password_reset_code: (p) => `Varco: codul de recuperare a parolei este ${p.code}. Valabil ${p.validMinutes} minute. Nu il dati nimanui.`,
    pin_first_half: (p) => `Varco: prima parte a PIN-ului:\n${p.half}\nA doua parte vine prin email. Nu o dati nimanui.`,
    contact_verification_code: (p) => `Varco: codul de verificare este ${p.code}. Valabil ${p.validMinutes} minute. Nu il dati nimanui.`,
  },
};

export function isSmsKind(kind: string): kind is SmsKinds {
  return kind in smsTexts.it;
}
