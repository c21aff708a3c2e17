// The messages this flow sends, in the three languages: delivery renders them, the manifest
// lists them through index.ts. Secrets stand on their own line; links are absolute.
// SMS: one 160-character GSM-7 segment each (Romanian without diacritics).
import type { MessageTemplates } from '../../delivery/templates/template-set.ts';

export const pinTemplates = {
  email: {
    pin_second_half: {
      it: (p) => ({ subject: 'La seconda parte del tuo PIN', lines: [
        'Ecco la seconda parte (ultimi 8 caratteri) del tuo PIN:', p.half, '',
        `La prima parte ti è arrivata via SMS. Uniscile e accedi con il PIN completo: ${p.signInUrl}`] }),
      en: (p) => ({ subject: 'The second half of your PIN', lines: [
        'Here is the second half (last 8 characters) of your PIN:', p.half, '',
        `The first half came by SMS. Put them together and sign in with the full PIN: ${p.signInUrl}`] }),
      ro: (p) => ({ subject: 'A doua parte a PIN-ului', lines: [
        'Iată a doua parte (ultimele 8 caractere) a PIN-ului:', p.half, '',
        `Prima parte a sosit prin SMS. Uniți-le și autentificați-vă cu PIN-ul complet: ${p.signInUrl}`] }),
    },
  },
  sms: {
    pin_first_half: {
      it: (p) => `Varco: prima parte del tuo PIN:\n${p.half}\nLa seconda arriva per email. Non comunicarla a nessuno.`,
      en: (p) => `Varco: first half of your PIN:\n${p.half}\nThe second half comes by email. Never share it.`,
      ro: (p) => `Varco: prima parte a PIN-ului:\n${p.half}\nA doua parte vine prin email. Nu o dati nimanui.`,
    },
  },
} satisfies MessageTemplates;
