// The messages this flow sends, in the three languages: delivery renders them, the manifest
// lists them through index.ts. Secrets stand on their own line; links are absolute.
// SMS: one 160-character GSM-7 segment each (Romanian without diacritics).
import type { MessageTemplates } from '../../delivery/templates/template-set.ts';

export const passwordRecoveryTemplates = {
  email: {
    password_reset_link: {
      it: (p) => ({ subject: 'Recupero della password', lines: [
        'Hai chiesto di recuperare la password. Apri questo collegamento per sceglierne una nuova:', p.link, '',
        `Il collegamento vale ${p.validMinutes} minuti e si può usare una sola volta. Se non hai fatto tu la richiesta, ignora questo messaggio.`] }),
      en: (p) => ({ subject: 'Password recovery', lines: [
        'You asked to recover your password. Open this link to choose a new one:', p.link, '',
        `The link is valid for ${p.validMinutes} minutes and works once. If you did not ask for it, ignore this message.`] }),
      ro: (p) => ({ subject: 'Recuperarea parolei', lines: [
        'Ați cerut recuperarea parolei. Deschideți acest link pentru a alege una nouă:', p.link, '',
        `Linkul este valabil ${p.validMinutes} minute și poate fi folosit o singură dată. Dacă nu ați făcut cererea, ignorați acest mesaj.`] }),
    },
  },
  sms: {
    password_reset_code: {
      it: (p) => `Varco: il codice per recuperare la password è ${p.code}. Vale ${p.validMinutes} minuti. Non comunicarlo a nessuno.`,
      en: (p) => `Varco: your password recovery code is ${p.code}. Valid for ${p.validMinutes} minutes. Never share it.`,
      ro: (p) => `Varco: codul de recuperare a parolei este ${p.code}. Valabil ${p.validMinutes} minute. Nu il dati nimanui.`,
    },
  },
} satisfies MessageTemplates;
