// The messages this flow sends, in the three languages: delivery renders them, the manifest
// lists them through index.ts. Secrets stand on their own line; links are absolute.
import type { MessageTemplates } from '../../delivery/templates/template-set.ts';

export const assistanceTemplates = {
  email: {
    assistance_confirm: {
      it: (p) => ({ subject: 'Conferma la tua richiesta di assistenza', lines: [
        'Abbiamo ricevuto la tua richiesta di assistenza. Per inoltrarla agli operatori confermala da questo collegamento:', p.link, '',
        `Il collegamento vale ${p.validHours} ore.`] }),
      en: (p) => ({ subject: 'Confirm your assistance request', lines: [
        'We received your assistance request. To pass it on to an operator, confirm it with this link:', p.link, '',
        `The link is valid for ${p.validHours} hours.`] }),
      ro: (p) => ({ subject: 'Confirmați cererea de asistență', lines: [
        'Am primit cererea dumneavoastră de asistență. Pentru a o transmite unui operator, confirmați-o cu acest link:', p.link, '',
        `Linkul este valabil ${p.validHours} ore.`] }),
    },
    assistance_rejected: {
      it: (p) => ({ subject: 'La tua richiesta di assistenza non è stata accolta', lines: [
        'Un operatore ha esaminato la tua richiesta di assistenza e non ha potuto accoglierla, per questo motivo:', p.reason, '',
        `Puoi vedere lo stato della richiesta qui: ${p.statusUrl}`] }),
      en: (p) => ({ subject: 'Your assistance request was not accepted', lines: [
        'An operator reviewed your assistance request and could not accept it, for this reason:', p.reason, '',
        `You can see the request's status here: ${p.statusUrl}`] }),
      ro: (p) => ({ subject: 'Cererea de asistență nu a fost acceptată', lines: [
        'Un operator a examinat cererea dumneavoastră de asistență și nu a putut-o accepta, din acest motiv:', p.reason, '',
        `Puteți vedea starea cererii aici: ${p.statusUrl}`] }),
    },
  },
} satisfies MessageTemplates;
