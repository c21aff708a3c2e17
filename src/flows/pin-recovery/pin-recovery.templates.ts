// The messages this flow sends, in the three languages: delivery renders them, the manifest
// lists them through index.ts. Secrets stand on their own line; links are absolute.
import type { MessageTemplates } from '../../delivery/templates/template-set.ts';

export const pinRecoveryTemplates = {
  email: {
    pin_recovery_code: {
      it: (p) => ({ subject: 'Recupero del PIN', lines: [
        `Il tuo codice di recupero del PIN è ${p.code}. Vale ${p.validHours} ore.`, `Inseriscilo qui: ${p.link}`] }),
      en: (p) => ({ subject: 'PIN recovery', lines: [
        `Your PIN recovery code is ${p.code}. It is valid for ${p.validHours} hours.`, `Enter it here: ${p.link}`] }),
      ro: (p) => ({ subject: 'Recuperarea PIN-ului', lines: [
        `Codul de recuperare a PIN-ului este ${p.code}. Este valabil ${p.validHours} ore.`, `Introduceți-l aici: ${p.link}`] }),
    },
    pin_recovery_not_possible: {
      it: (p) => ({ subject: 'Recupero del PIN non possibile', lines: [
        'Non hai ancora completato il primo accesso con il PIN, quindi non è possibile recuperarlo.',
        `Il PIN va revocato e richiesto di nuovo: ${p.requestUrl}`] }),
      en: (p) => ({ subject: 'PIN recovery not possible', lines: [
        'You have not completed your first sign-in with the PIN yet, so it cannot be recovered.',
        `The PIN must be revoked and requested again: ${p.requestUrl}`] }),
      ro: (p) => ({ subject: 'Recuperarea PIN-ului nu este posibilă', lines: [
        'Nu ați finalizat încă primul acces cu PIN-ul, deci acesta nu poate fi recuperat.',
        `PIN-ul trebuie revocat și cerut din nou: ${p.requestUrl}`] }),
    },
  },
} satisfies MessageTemplates;
