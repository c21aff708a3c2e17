// Email and PEC texts, in the recipient's language. Secrets (temporary passwords, PIN
// halves) stand on their own line after a line ending with a colon; codes are digit runs;
// links are absolute.
import type { Language } from '../../domain/language.ts';
import type { MessageParams } from '../message.ts';
import { formatWhen } from './format.ts';

export interface EmailText {
  subject: string;
  lines: string[];
}

type EmailKinds = Exclude<keyof MessageParams, 'password_reset_code' | 'pin_first_half'>;
type Templates = { [K in EmailKinds]: (p: MessageParams[K], lang: Language) => EmailText };

// Whole clauses rather than nouns: Italian and Romanian participles agree with the noun.
const changed = {
  password: { it: 'la password del tuo accesso è stata cambiata', en: 'your password was changed', ro: 'parola a fost schimbată' },
  pin: { it: 'il PIN del tuo accesso è stato cambiato', en: 'your PIN was changed', ro: 'PIN-ul a fost schimbat' },
};
const replaced = {
  email: { it: 'l’indirizzo email registrato per il tuo accesso è stato sostituito', en: 'the email address registered for your account was replaced',
    ro: 'adresa de email înregistrată pentru contul dumneavoastră a fost înlocuită' },
  mobile: { it: 'il numero di cellulare registrato per il tuo accesso è stato sostituito', en: 'the mobile number registered for your account was replaced',
    ro: 'numărul de mobil înregistrat pentru contul dumneavoastră a fost înlocuit' },
  pec: { it: 'l’indirizzo PEC registrato per il tuo accesso è stato sostituito', en: 'the PEC address registered for your account was replaced',
    ro: 'adresa PEC înregistrată pentru contul dumneavoastră a fost înlocuită' },
};
const noLongerHere = {
  it: 'Questo indirizzo non riceverà più i nostri messaggi.', en: 'This address will no longer receive our messages.',
  ro: 'Această adresă nu va mai primi mesajele noastre.',
};

export const emailTexts: Record<Language, Templates> = {
  it: {
    credential_changed: (p, l) => ({ subject: 'Le tue credenziali sono cambiate', lines: [
      `Ti confermiamo che ${changed[p.what].it} il ${formatWhen(p.at, l)} (indirizzo IP ${p.ip}).`,
      'Se non sei stato tu, recupera subito l’accesso con "Password dimenticata" e contatta l’assistenza.'] }),
    temporary_password: (p, l) => ({ subject: 'La tua password temporanea', lines: [
      'Ecco la password temporanea per il tuo primo accesso:', p.temporaryPassword, '',
      `Vale fino al ${formatWhen(p.validUntil, l)}. Al primo accesso ti chiederemo di sceglierne una nuova.`, `Accedi da qui: ${p.signInUrl}`] }),
    account_locked: (p, l) => ({ subject: 'Accesso bloccato temporaneamente', lines: [
      `Dopo troppi tentativi errati l’accesso con il tuo codice fiscale è bloccato fino al ${formatWhen(p.until, l)} (ultimo tentativo da ${p.ip}).`,
      `Se hai dimenticato la password puoi recuperarla anche ora: ${p.recoveryUrl}`] }),
    password_expiry_warning: (p, l) => ({ subject: 'La tua password sta per scadere', lines: [
      `La tua password scade il ${formatWhen(p.expiresAt, l)}. Cambiala prima di allora: ${p.changeUrl}`] }),
    password_reset_link: (p) => ({ subject: 'Recupero della password', lines: [
      'Hai chiesto di recuperare la password. Apri questo collegamento per sceglierne una nuova:', p.link, '',
      `Il collegamento vale ${p.validMinutes} minuti e si può usare una sola volta. Se non hai fatto tu la richiesta, ignora questo messaggio.`] }),
    contact_verification_code: (p) => ({ subject: 'Il tuo codice di verifica', lines: [
      `Il tuo codice di verifica è ${p.code}.`, `Vale ${p.validMinutes} minuti.`] }),
    pin_second_half: (p) => ({ subject: 'La seconda parte del tuo PIN', lines: [
      'Ecco la seconda parte (ultimi 8 caratteri) del tuo PIN:', p.half, '',
      `La prima parte ti è arrivata via SMS. Uniscile e accedi con il PIN completo: ${p.signInUrl}`] }),
    pin_recovery_code: (p) => ({ subject: 'Recupero del PIN', lines: [
      `Il tuo codice di recupero del PIN è ${p.code}. Vale ${p.validHours} ore.`, `Inseriscilo qui: ${p.link}`] }),
    pin_recovery_not_possible: (p) => ({ subject: 'Recupero del PIN non possibile', lines: [
      'Non hai ancora completato il primo accesso con il PIN, quindi non è possibile recuperarlo.',
      `Il PIN va revocato e richiesto di nuovo: ${p.requestUrl}`] }),
    enrolment_notice: (p) => ({ subject: 'La tua registrazione ai servizi online', lines: [
      `${p.administration} ha registrato questo indirizzo email per il tuo accesso ai servizi.`,
      `Per il primo accesso segui le istruzioni: ${p.firstAccessUrl}`] }),
    assistance_confirm: (p) => ({ subject: 'Conferma la tua richiesta di assistenza', lines: [
      'Abbiamo ricevuto la tua richiesta di assistenza. Per inoltrarla agli operatori confermala da questo collegamento:', p.link, '',
      `Il collegamento vale ${p.validHours} ore.`] }),
    contact_changed: (p, l) => ({ subject: 'Un recapito del tuo accesso è cambiato', lines: [
      `Ti informiamo che ${replaced[p.contact].it} il ${formatWhen(p.at, l)}.`, ...(p.contact === 'email' ? [noLongerHere.it] : []),
      'Se non l’hai chiesto tu, contatta subito l’assistenza.'] }),
    assistance_rejected: (p) => ({ subject: 'La tua richiesta di assistenza non è stata accolta', lines: [
      'Un operatore ha esaminato la tua richiesta di assistenza e non ha potuto accoglierla, per questo motivo:', p.reason, '',
      `Puoi vedere lo stato della richiesta qui: ${p.statusUrl}`] }),
    appointment_confirmed: (p, l) => ({ subject: 'Appuntamento confermato', lines: [
      `Ti aspettiamo il ${formatWhen(p.when, l)} presso ${p.office}, ${p.address}.`, 'Porta con te un documento d’identità valido.',
      `Per vedere o annullare l’appuntamento: ${p.manageUrl}`] }),
  },
  en: {
    credential_changed: (p, l) => ({ subject: 'Your credentials have changed', lines: [
      `This confirms that ${changed[p.what].en} on ${formatWhen(p.at, l)} (IP address ${p.ip}).`,
      'If this was not you, recover your access now with "Forgot your password?" and contact the assistance desk.'] }),
    temporary_password: (p, l) => ({ subject: 'Your temporary password', lines: [
      'Here is the temporary password for your first sign-in:', p.temporaryPassword, '',
      `It is valid until ${formatWhen(p.validUntil, l)}. When you sign in you will be asked to choose a new one.`, `Sign in here: ${p.signInUrl}`] }),
    account_locked: (p, l) => ({ subject: 'Sign-in temporarily locked', lines: [
      `After too many failed attempts, sign-in with your codice fiscale is locked until ${formatWhen(p.until, l)} (last attempt from ${p.ip}).`,
      `If you forgot your password you can recover it even now: ${p.recoveryUrl}`] }),
    password_expiry_warning: (p, l) => ({ subject: 'Your password is about to expire', lines: [
      `Your password expires on ${formatWhen(p.expiresAt, l)}. Change it before then: ${p.changeUrl}`] }),
    password_reset_link: (p) => ({ subject: 'Password recovery', lines: [
      'You asked to recover your password. Open this link to choose a new one:', p.link, '',
      `The link is valid for ${p.validMinutes} minutes and works once. If you did not ask for it, ignore this message.`] }),
    contact_verification_code: (p) => ({ subject: 'Your verification code', lines: [
      `Your verification code is ${p.code}.`, `It is valid for ${p.validMinutes} minutes.`] }),
    pin_second_half: (p) => ({ subject: 'The second half of your PIN', lines: [
      'Here is the second half (last 8 characters) of your PIN:', p.half, '',
      `The first half came by SMS. Put them together and sign in with the full PIN: ${p.signInUrl}`] }),
    pin_recovery_code: (p) => ({ subject: 'PIN recovery', lines: [
      `Your PIN recovery code is ${p.code}. It is valid for ${p.validHours} hours.`, `Enter it here: ${p.link}`] }),
    pin_recovery_not_possible: (p) => ({ subject: 'PIN recovery not possible', lines: [
      'You have not completed your first sign-in with the PIN yet, so it cannot be recovered.',
      `The PIN must be revoked and requested again: ${p.requestUrl}`] }),
    enrolment_notice: (p) => ({ subject: 'You have been registered', lines: [
      `${p.administration} registered this email address for your access to the online services.`,
      `For your first sign-in follow the instructions: ${p.firstAccessUrl}`] }),
    assistance_confirm: (p) => ({ subject: 'Confirm your assistance request', lines: [
      'We received your assistance request. To pass it on to an operator, confirm it with this link:', p.link, '',
      `The link is valid for ${p.validHours} hours.`] }),
    contact_changed: (p, l) => ({ subject: 'A contact of your account changed', lines: [
      `This is to let you know that ${replaced[p.contact].en} on ${formatWhen(p.at, l)}.`, ...(p.contact === 'email' ? [noLongerHere.en] : []),
      'If you did not ask for this, contact the assistance desk at once.'] }),
    assistance_rejected: (p) => ({ subject: 'Your assistance request was not accepted', lines: [
      'An operator reviewed your assistance request and could not accept it, for this reason:', p.reason, '',
      `You can see the request's status here: ${p.statusUrl}`] }),
    appointment_confirmed: (p, l) => ({ subject: 'Appointment confirmed', lines: [
      `We expect you on ${formatWhen(p.when, l)} at ${p.office}, ${p.address}.`, 'Bring a valid identity document.',
      `To see or cancel the appointment: ${p.manageUrl}`] }),
  },
  ro: {
    credential_changed: (p, l) => ({ subject: 'Datele de acces au fost schimbate', lines: [
      `Vă confirmăm că ${changed[p.what].ro} la ${formatWhen(p.at, l)} (adresa IP ${p.ip}).`,
      'Dacă nu ați fost dumneavoastră, recuperați imediat accesul cu „Ați uitat parola?” și contactați asistența.'] }),
    temporary_password: (p, l) => ({ subject: 'Parola dumneavoastră temporară', lines: [
      'Iată parola temporară pentru primul acces:', p.temporaryPassword, '',
      `Este valabilă până la ${formatWhen(p.validUntil, l)}. La primul acces vi se va cere să alegeți una nouă.`, `Autentificați-vă aici: ${p.signInUrl}`] }),
    account_locked: (p, l) => ({ subject: 'Acces blocat temporar', lines: [
      `După prea multe încercări greșite, accesul cu codul dumneavoastră fiscal este blocat până la ${formatWhen(p.until, l)} (ultima încercare de la ${p.ip}).`,
      `Dacă ați uitat parola o puteți recupera chiar acum: ${p.recoveryUrl}`] }),
    password_expiry_warning: (p, l) => ({ subject: 'Parola expiră în curând', lines: [
      `Parola dumneavoastră expiră la ${formatWhen(p.expiresAt, l)}. Schimbați-o înainte: ${p.changeUrl}`] }),
    password_reset_link: (p) => ({ subject: 'Recuperarea parolei', lines: [
      'Ați cerut recuperarea parolei. Deschideți acest link pentru a alege una nouă:', p.link, '',
      `Linkul este valabil ${p.validMinutes} minute și poate fi folosit o singură dată. Dacă nu ați făcut cererea, ignorați acest mesaj.`] }),
    contact_verification_code: (p) => ({ subject: 'Codul de verificare', lines: [
      `Codul dumneavoastră de verificare este ${p.code}.`, `Este valabil ${p.validMinutes} minute.`] }),
    pin_second_half: (p) => ({ subject: 'A doua parte a PIN-ului', lines: [
      'Iată a doua parte (ultimele 8 caractere) a PIN-ului:', p.half, '',
      `Prima parte a sosit prin SMS. Uniți-le și autentificați-vă cu PIN-ul complet: ${p.signInUrl}`] }),
    pin_recovery_code: (p) => ({ subject: 'Recuperarea PIN-ului', lines: [
      `Codul de recuperare a PIN-ului este ${p.code}. Este valabil ${p.validHours} ore.`, `Introduceți-l aici: ${p.link}`] }),
    pin_recovery_not_possible: (p) => ({ subject: 'Recuperarea PIN-ului nu este posibilă', lines: [
      'Nu ați finalizat încă primul acces cu PIN-ul, deci acesta nu poate fi recuperat.',
      `PIN-ul trebuie revocat și cerut din nou: ${p.requestUrl}`] }),
    enrolment_notice: (p) => ({ subject: 'Înregistrarea dumneavoastră la serviciile online', lines: [
      `${p.administration} a înregistrat această adresă de email pentru accesul dumneavoastră la servicii.`,
      `Pentru primul acces urmați instrucțiunile: ${p.firstAccessUrl}`] }),
    assistance_confirm: (p) => ({ subject: 'Confirmați cererea de asistență', lines: [
      'Am primit cererea dumneavoastră de asistență. Pentru a o transmite unui operator, confirmați-o cu acest link:', p.link, '',
      `Linkul este valabil ${p.validHours} ore.`] }),
    contact_changed: (p, l) => ({ subject: 'O dată de contact a contului s-a schimbat', lines: [
      `Vă informăm că ${replaced[p.contact].ro} la ${formatWhen(p.at, l)}.`, ...(p.contact === 'email' ? [noLongerHere.ro] : []),
      'Dacă nu ați cerut acest lucru, contactați imediat asistența.'] }),
    assistance_rejected: (p) => ({ subject: 'Cererea de asistență nu a fost acceptată', lines: [
      'Un operator a examinat cererea dumneavoastră de asistență și nu a putut-o accepta, din acest motiv:', p.reason, '',
      `Puteți vedea starea cererii aici: ${p.statusUrl}`] }),
    appointment_confirmed: (p, l) => ({ subject: 'Programare confirmată', lines: [
      `Vă așteptăm la ${formatWhen(p.when, l)} la ${p.office}, ${p.address}.`, 'Aduceți un document de identitate valabil.',
      `Pentru a vedea sau anula programarea: ${p.manageUrl}`] }),
  },
};

export const emailFooter: Record<Language, string[]> = {
  it: ['Non condividere mai codici, PIN o password con nessuno: Varco non te li chiede mai per email o al telefono.', '— Varco, accesso ai servizi online'],
  en: ['Never share codes, PINs or passwords with anyone: Varco never asks for them by email or phone.', '— Varco, access to online services'],
  ro: ['Nu împărtășiți niciodată coduri, PIN-uri sau parole: Varco nu vi le cere niciodată prin email sau telefon.', '— Varco, acces la serviciile online'],
};
