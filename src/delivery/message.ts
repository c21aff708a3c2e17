// What a flow asks the delivery layer to send. Flows name a template (kind) and its
// parameters; the text is rendered when the message is enqueued, in the account's language.
import type { Language } from '../domain/language.ts';

export type Channel = 'email' | 'sms' | 'pec';

/** Every template and the parameters it needs. */
export interface MessageParams {
  credential_changed: { what: 'password' | 'pin' | 'pin_revoked'; at: string; ip: string; wasntMeUrl?: string };
  temporary_password: { temporaryPassword: string; validUntil: string; signInUrl: string };
  account_locked: { at: string; until: string; ip: string; recoveryUrl: string; wasntMeUrl?: string };
  password_expiry_warning: { expiresAt: string; changeUrl: string };
  password_reset_link: { link: string; validMinutes: string };
  password_reset_code: { code: string; validMinutes: string };
  contact_verification_code: { code: string; validMinutes: string };
  pin_first_half: { half: string };
  pin_second_half: { half: string; signInUrl: string };
  pin_recovery_code: { link: string; code: string; validHours: string };
  pin_recovery_not_possible: { requestUrl: string };
  enrolment_notice: { administration: string; firstAccessUrl: string };
  assistance_confirm: { link: string; validHours: string };
  assistance_rejected: { reason: string; statusUrl: string };
  contact_changed: { contact: 'email' | 'mobile' | 'pec'; at: string; wasntMeUrl?: string };
  new_device_sign_in: { at: string; ip: string; userAgent: string; wasntMeUrl: string };
  appointment_confirmed: { office: string; address: string; when: string; manageUrl: string };
}

export type MessageKind = keyof MessageParams;

export interface OutgoingMessage<K extends MessageKind = MessageKind> {
  channel: Channel;
  to: string;
  kind: K;
  language: Language;
  params: MessageParams[K];
}

/** Kinds whose body carries a secret: the body is erased once delivered. */
export const secretBearingKinds: ReadonlySet<MessageKind> = new Set<MessageKind>([
  'temporary_password',
  'password_reset_link',
  'password_reset_code',
  'contact_verification_code',
  'pin_first_half',
  'pin_second_half',
  'pin_recovery_code',
  'assistance_confirm',
  // Its manage link sees and cancels the appointment.
  'appointment_confirmed',
  // Security notices carry a "this wasn't me" link (a one-time secret that ends every session).
  'new_device_sign_in',
  'credential_changed',
  'account_locked',
  'contact_changed',
]);
