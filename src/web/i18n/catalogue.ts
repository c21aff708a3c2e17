// Every flow's texts, merged with the core catalogue. A flow adds its defineMessages()
// result to this list.
import { appointmentMessages } from '../../flows/appointments/appointments.messages.ts';
import { assistanceMessages } from '../../flows/assistance/assistance.messages.ts';
import { deskMessages } from '../../flows/desk/desk.messages.ts';
import { captchaMessages } from '../../flows/captcha/captcha.messages.ts';
import { pinRecoveryMessages } from '../../flows/pin-recovery/pin-recovery.messages.ts';
import { pinMessages } from '../../flows/pin/pin.messages.ts';
import { oidcMessages } from '../../flows/oidc/oidc.messages.ts';
import { passwordRecoveryMessages } from '../../flows/password-recovery/password-recovery.messages.ts';

export const flowMessages = [captchaMessages, passwordRecoveryMessages, pinMessages, pinRecoveryMessages, assistanceMessages, deskMessages, appointmentMessages, oidcMessages] as const;

export type FlowMessageKey = (typeof flowMessages)[number] extends infer M ? (M extends { it: Record<infer K, string> } ? K : never) : never;
