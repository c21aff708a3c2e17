// Email and PEC texts, in the recipient's language. Secrets (temporary passwords, PIN
// halves) stand on their own line after a line ending with a colon; codes are digit runs;
// links are absolute.
import type { Language } from '../../domain/language.ts';
import type { MessageParams } from '../message.ts';
import { formatWhen } from './format.ts';

import type { EmailText } from './template-set.ts';

export type { EmailText };

// The messages of no single flow; each flow's own texts are in its <flow>.templates.ts.
export type CoreEmailKinds = 'credential_changed' | 'temporary_password' | 'account_locked' | 'contact_verification_code' | 'enrolment_notice' | 'contact_changed';
type Templates = { [K in CoreEmailKinds]: (p: MessageParams[K], lang: Language) => EmailText };

// Whole clauses rather than nouns: Italian and Romanian participles agree with the noun.
const changed = {
  password: { it: 'la password del tuo accesso è stata cambiata', en: 'your password was changed', ro: 'parola a fost schimbată' },
  pin: { it: 'il PIN del tuo accesso è stato cambiato', en: 'your PIN was changed', ro: 'PIN-ul a fost schimbat' },
  pin_revoked: { it: 'il PIN del tuo accesso è stato revocato e non funziona più', en: 'your PIN was revoked and no longer works',
    ro: 'PIN-ul a fost revocat și nu mai funcționează' },
};
const replaced = {
  email: { it: 'l’indirizzo email registrato per il tuo accesso è stato sostituito', en: 'the email address registered for your account was replaced',
    ro: 'adresa de email înregistrată pentru contul dumneavoastră a fost înlocuită' },
  mobile: { it: 'il numero di cellulare registrato per il tuo accesso è stato sostituito', en: 'the mobile number registered for your account was replaced',
    ro: 'numărul de mobil înregistrat pentru contul dumneavoastră a fost înlocuit' },
  pec: { it: 'l’indirizzo PEC registrato per il tuo accesso è stato sostituito', en: 'the PEC address registered for your account was replaced',
    ro: 'adresa PEC înregistrată pentru contul dumneavoastră a fost înlocuită' },
};
/** The "this wasn't me" line of a security notice, when the notice carries its link. */
export function wasntMeLine(url: string | undefined, language: Language): string[] {
  return url ? [`${wasntMeText[language]} ${url}`] : [];
}
const wasntMeText: Record<Language, string> = {
  it: 'Non sei stato tu? Da qui chiudi ogni accesso al tuo account e ti guidiamo nel recupero:',
  en: 'Wasn’t you? From here you end every session of your account and we guide you through recovery:',
  ro: 'Nu ați fost dumneavoastră? De aici închideți toate sesiunile contului și vă ghidăm la recuperare:',
};

const noLongerHere = {
  it: 'Questo indirizzo non riceverà più i nostri messaggi.', en: 'This address will no longer receive our messages.',
  ro: 'Această adresă nu va mai primi mesajele noastre.',
};

export const emailTexts: Record<Language, Templates> = {
  it: {
    credential_changed: (p, l) => ({ subject: 'Le tue credenziali sono cambiate', lines: [
      `Ti confermiamo che ${changed[p.what].it} il ${formatWhen(p.at, l)} (indirizzo IP ${p.ip}).`,
      'Se non sei stato tu, recupera subito l’accesso con "Password dimenticata" e contatta l’assistenza.', ...wasntMeLine(p.wasntMeUrl, l)] }),
    temporary_password: (p, l) => ({ subject: 'La tua password temporanea', lines: [
      'Ecco la password temporanea per il tuo primo accesso:', p.temporaryPassword, '',
      `Vale fino al ${formatWhen(p.validUntil, l)}. Al primo accesso ti chiederemo di sceglierne una nuova.`, `Accedi da qui: ${p.signInUrl}`] }),
    account_locked: (p, l) => ({ subject: 'Accesso bloccato temporaneamente', lines: [
      `Dopo troppi tentativi errati l’accesso con il tuo codice fiscale è bloccato fino al ${formatWhen(p.until, l)} (ultimo tentativo da ${p.ip}).`,
      `Se hai dimenticato la password puoi recuperarla anche ora: ${p.recoveryUrl}`, ...wasntMeLine(p.wasntMeUrl, l)] }),
    contact_verification_code: (p) => ({ subject: 'Il tuo codice di verifica', lines: [
      `Il tuo codice di verifica è ${p.code}.`, `Vale ${p.validMinutes} minuti.`] }),
    enrolment_notice: (p) => ({ subject: 'La tua registrazione ai servizi online', lines: [
      `${p.administration} ha registrato questo indirizzo email per il tuo accesso ai servizi.`,
      `Per il primo accesso segui le istruzioni: ${p.firstAccessUrl}`] }),
    contact_changed: (p, l) => ({ subject: 'Un recapito del tuo accesso è cambiato', lines: [
      `Ti informiamo che ${replaced[p.contact].it} il ${formatWhen(p.at, l)}.`, ...(p.contact === 'email' ? [noLongerHere.it] : []),
      'Se non l’hai chiesto tu, contatta subito l’assistenza.', ...wasntMeLine(p.wasntMeUrl, l)] }),
  },
  en: {
    credential_changed: (p, l) => ({ subject: 'Your credentials have changed', lines: [
      `This confirms that ${changed[p.what].en} on ${formatWhen(p.at, l)} (IP address ${p.ip}).`,
      'If this was not you, recover your access now with "Forgot your password?" and contact the assistance desk.', ...wasntMeLine(p.wasntMeUrl, l)] }),
    temporary_password: (p, l) => ({ subject: 'Your temporary password', lines: [
      'Here is the temporary password for your first sign-in:', p.temporaryPassword, '',
      `It is valid until ${formatWhen(p.validUntil, l)}. When you sign in you will be asked to choose a new one.`, `Sign in here: ${p.signInUrl}`] }),
    account_locked: (p, l) => ({ subject: 'Sign-in temporarily locked', lines: [
      `After too many failed attempts, sign-in with your codice fiscale is locked until ${formatWhen(p.until, l)} (last attempt from ${p.ip}).`,
      `If you forgot your password you can recover it even now: ${p.recoveryUrl}`, ...wasntMeLine(p.wasntMeUrl, l)] }),
    contact_verification_code: (p) => ({ subject: 'Your verification code', lines: [
      `Your verification code is ${p.code}.`, `It is valid for ${p.validMinutes} minutes.`] }),
    enrolment_notice: (p) => ({ subject: 'You have been registered', lines: [
      `${p.administration} registered this email address for your access to the online services.`,
      `For your first sign-in follow the instructions: ${p.firstAccessUrl}`] }),
    contact_changed: (p, l) => ({ subject: 'A contact of your account changed', lines: [
      `This is to let you know that ${replaced[p.contact].en} on ${formatWhen(p.at, l)}.`, ...(p.contact === 'email' ? [noLongerHere.en] : []),
      'If you did not ask for this, contact the assistance desk at once.', ...wasntMeLine(p.wasntMeUrl, l)] }),
  },
  ro: {
    credential_changed: (p, l) => ({ subject: 'Datele de acces au fost schimbate', lines: [
      `Vă confirmăm că ${changed[p.what].ro} la ${formatWhen(p.at, l)} (adresa IP ${p.ip}).`,
      'Dacă nu ați fost dumneavoastră, recuperați imediat accesul cu „Ați uitat parola?” și contactați asistența.', ...wasntMeLine(p.wasntMeUrl, l)] }),
    temporary_password: (p, l) => ({ subject: 'Parola dumneavoastră temporară', lines: [
      'Iată parola temporară pentru primul acces:', p.temporaryPassword, '',
      `Este valabilă până la ${formatWhen(p.validUntil, l)}. La primul acces vi se va cere să alegeți una nouă.`, `Autentificați-vă aici: ${p.signInUrl}`] }),
    account_locked: (p, l) => ({ subject: 'Acces blocat temporar', lines: [
      `După prea multe încercări greșite, accesul cu codul dumneavoastră fiscal este blocat până la ${formatWhen(p.until, l)} (ultima încercare de la ${p.ip}).`,
      `Dacă ați uitat parola o puteți recupera chiar acum: ${p.recoveryUrl}`, ...wasntMeLine(p.wasntMeUrl, l)] }),
    contact_verification_code: (p) => ({ subject: 'Codul de verificare', lines: [
      `Codul dumneavoastră de verificare este ${p.code}.`, `Este valabil ${p.validMinutes} minute.`] }),
    enrolment_notice: (p) => ({ subject: 'Înregistrarea dumneavoastră la serviciile online', lines: [
      `${p.administration} a înregistrat această adresă de email pentru accesul dumneavoastră la servicii.`,
      `Pentru primul acces urmați instrucțiunile: ${p.firstAccessUrl}`] }),
    contact_changed: (p, l) => ({ subject: 'O dată de contact a contului s-a schimbat', lines: [
      `Vă informăm că ${replaced[p.contact].ro} la ${formatWhen(p.at, l)}.`, ...(p.contact === 'email' ? [noLongerHere.ro] : []),
      'Dacă nu ați cerut acest lucru, contactați imediat asistența.', ...wasntMeLine(p.wasntMeUrl, l)] }),
  },
};

export const emailFooter: Record<Language, string[]> = {
  it: ['Non condividere mai codici, PIN o password con nessuno: Varco non te li chiede mai per email o al telefono.', '— Varco, accesso ai servizi online'],
  en: ['Never share codes, PINs or passwords with anyone: Varco never asks for them by email or phone.', '— Varco, access to online services'],
  ro: ['Nu împărtășiți niciodată coduri, PIN-uri sau parole: Varco nu vi le cere niciodată prin email sau telefon.', '— Varco, acces la serviciile online'],
};
