// The new-device notice, in the three languages: what happened, when, on which device and
// from where (in the same words as the personal area), and the "this wasn't me" link.
import { approximatePlace } from '../../domain/approximate-place.ts';
import type { Language } from '../../domain/language.ts';
import { describeUserAgent } from '../../domain/user-agent.ts';
import { formatWhen } from '../../delivery/templates/format.ts';
import type { MessageTemplates } from '../../delivery/templates/template-set.ts';
import type { MessageParams } from '../../delivery/message.ts';
import { deviceInWords, placeInWords } from '../sessions/device-words.ts';

type Params = MessageParams['new_device_sign_in'];

function where(p: Params, language: Language) {
  return { device: deviceInWords(describeUserAgent(p.userAgent), language), place: placeInWords(approximatePlace(p.ip), language) };
}

export const noticesTemplates = {
  email: {
    new_device_sign_in: {
      it: (p) => {
        const w = where(p, 'it');
        return { subject: 'Nuovo accesso da un dispositivo mai usato', lines: [
          `Il ${formatWhen(p.at, 'it')} qualcuno è entrato nel tuo account da un dispositivo che non avevi mai usato: ${w.device}, ${w.place}.`,
          'Se sei stato tu non devi fare nulla. Puoi vedere e chiudere gli accessi attivi dall’area personale.',
          `Non sei stato tu? Da qui chiudi ogni accesso al tuo account e ti guidiamo nel recupero: ${p.wasntMeUrl}`] };
      },
      en: (p) => {
        const w = where(p, 'en');
        return { subject: 'New sign-in from a device you had not used', lines: [
          `On ${formatWhen(p.at, 'en')} someone signed in to your account from a device you had never used: ${w.device}, ${w.place}.`,
          'If it was you, there is nothing to do. You can see and end your active sessions in your personal area.',
          `Wasn’t you? From here you end every session of your account and we guide you through recovery: ${p.wasntMeUrl}`] };
      },
      ro: (p) => {
        const w = where(p, 'ro');
        return { subject: 'Autentificare nouă de pe un dispozitiv nefolosit', lines: [
          `La ${formatWhen(p.at, 'ro')} cineva s-a autentificat în contul dumneavoastră de pe un dispozitiv nefolosit până acum: ${w.device}, ${w.place}.`,
          'Dacă ați fost dumneavoastră, nu trebuie să faceți nimic. Puteți vedea și închide sesiunile active din zona personală.',
          `Nu ați fost dumneavoastră? De aici închideți toate sesiunile contului și vă ghidăm la recuperare: ${p.wasntMeUrl}`] };
      },
    },
  },
} satisfies MessageTemplates;
