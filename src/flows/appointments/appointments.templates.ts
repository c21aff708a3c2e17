// The messages this flow sends, in the three languages: delivery renders them, the manifest
// lists them through index.ts. Secrets stand on their own line; links are absolute.
import { formatWhen } from '../../delivery/templates/format.ts';
import type { MessageTemplates } from '../../delivery/templates/template-set.ts';

export const appointmentTemplates = {
  email: {
    appointment_confirmed: {
      it: (p, l) => ({ subject: 'Appuntamento confermato', lines: [
        `Ti aspettiamo il ${formatWhen(p.when, l)} presso ${p.office}, ${p.address}.`, 'Porta con te un documento d’identità valido.',
        `Per vedere o annullare l’appuntamento: ${p.manageUrl}`] }),
      en: (p, l) => ({ subject: 'Appointment confirmed', lines: [
        `We expect you on ${formatWhen(p.when, l)} at ${p.office}, ${p.address}.`, 'Bring a valid identity document.',
        `To see or cancel the appointment: ${p.manageUrl}`] }),
      ro: (p, l) => ({ subject: 'Programare confirmată', lines: [
        `Vă așteptăm la ${formatWhen(p.when, l)} la ${p.office}, ${p.address}.`, 'Aduceți un document de identitate valabil.',
        `Pentru a vedea sau anula programarea: ${p.manageUrl}`] }),
    },
  },
} satisfies MessageTemplates;
