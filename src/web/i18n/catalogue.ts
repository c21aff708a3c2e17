// Every flow's texts, merged with the core catalogue. A flow adds its defineMessages()
// result to this list.
import { appointmentMessages } from '../../flows/appointments/appointments.messages.ts';
import { assistanceMessages } from '../../flows/assistance/assistance.messages.ts';
import { deskMessages } from '../../flows/desk/desk.messages.ts';
import { captchaMessages } from '../../flows/captcha/captcha.messages.ts';
import { pinRecoveryMessages } from '../../flows/pin-recovery/pin-recovery.messages.ts';
import { pinMessages } from '../../flows/pin/pin.messages.ts';
import { passwordRecoveryMessages } from '../../flows/password-recovery/password-recovery.messages.ts';
import { profileCompletionMessages } from '../../flows/profile-completion/profile-completion.messages.ts';

export const flowMessages = [captchaMessages, passwordRecoveryMessages, pinMessages, pinRecoveryMessages, assistanceMessages, deskMessages, appointmentMessages, profileCompletionMessages] as const;

export type FlowMessageKey = (typeof flowMessages)[number] extends infer M ? (M extends { it: Record<infer K, string> } ? K : never) : never;
