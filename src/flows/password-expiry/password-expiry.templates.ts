// The messages this flow sends, in the three languages: delivery renders them, the manifest
// lists them through index.ts. Secrets stand on their own line; links are absolute.
import { formatWhen } from '../../delivery/templates/format.ts';
import type { MessageTemplates } from '../../delivery/templates/template-set.ts';

export const passwordExpiryTemplates = {
  email: {
    password_expiry_warning: {
      it: (p, l) => ({ subject: 'La tua password sta per scadere', lines: [
        `La tua password scade il ${formatWhen(p.expiresAt, l)}. Cambiala prima di allora: ${p.changeUrl}`] }),
      en: (p, l) => ({ subject: 'Your password is about to expire', lines: [
        `Your password expires on ${formatWhen(p.expiresAt, l)}. Change it before then: ${p.changeUrl}`] }),
      ro: (p, l) => ({ subject: 'Parola expiră în curând', lines: [
        `Parola dumneavoastră expiră la ${formatWhen(p.expiresAt, l)}. Schimbați-o înainte: ${p.changeUrl}`] }),
    },
  },
} satisfies MessageTemplates;
