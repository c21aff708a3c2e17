// Every flow of Varco, one line each (ARCHITECTURE.md "The flow manifest"). app.ts registers
// their routes by scope, the i18n catalogue takes their page texts, delivery their message
// templates. A new flow is its folder, with an index.ts, plus one line here.
import { coreTemplates } from '../delivery/templates/index.ts';
import { mergeTemplates, type MessageTemplates } from '../delivery/templates/template-set.ts';
import type { FlowModule } from '../web/flow-module.ts';
import type { FlowMessages } from '../web/i18n/index.ts';
import { accountFlow } from './account/index.ts';
import { adminFlow } from './admin/index.ts';
import { administrationPagesFlow } from './administration-pages/index.ts';
import { appointmentsFlow } from './appointments/index.ts';
import { assistanceFlow } from './assistance/index.ts';
import { captchaFlow } from './captcha/index.ts';
import type { FlowDeps } from './deps.ts';
import { deskFlow } from './desk/index.ts';
import { contactsFlow } from './contacts/index.ts';
import { devMailboxFlow } from './dev-mailbox/index.ts';
import { enrolmentFlow } from './enrolment/index.ts';
import { federationFlow } from './federation/index.ts';
import { identityMismatchesFlow } from './identity-mismatches/index.ts';
import { legalFlow } from './legal/index.ts';
import { noticesFlow } from './notices/index.ts';
import { oidcFlow } from './oidc/index.ts';
import { operationsFlow } from './operations/index.ts';
import { passwordChangeFlow } from './password-change/index.ts';
import { passwordExpiryFlow } from './password-expiry/index.ts';
import { passwordRecoveryFlow } from './password-recovery/index.ts';
import { pinRecoveryFlow } from './pin-recovery/index.ts';
import { pinFlow } from './pin/index.ts';
import { profileCompletionFlow } from './profile-completion/index.ts';
import { sessionsFlow } from './sessions/index.ts';
import { signInFlow } from './sign-in/index.ts';

export const flows = [
  operationsFlow,
  signInFlow,
  federationFlow,
  oidcFlow,
  accountFlow,
  sessionsFlow,
  noticesFlow,
  passwordChangeFlow,
  passwordRecoveryFlow,
  pinFlow,
  pinRecoveryFlow,
  passwordExpiryFlow,
  captchaFlow,
  assistanceFlow,
  deskFlow,
  identityMismatchesFlow,
  appointmentsFlow,
  adminFlow,
  enrolmentFlow,
  administrationPagesFlow,
  profileCompletionFlow,
  contactsFlow,
  legalFlow,
  devMailboxFlow,
] as const satisfies readonly FlowModule<FlowDeps>[];

type Flow = (typeof flows)[number];
type FlowMessageKey = Flow extends infer F ? (F extends { messages: { it: Record<infer K, string> } } ? K : never) : never;

declare module '../web/i18n/index.ts' {
  // The type side of installFlowMessages: every flow's keys are message keys.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FlowMessageKeys extends Record<FlowMessageKey, true> {}
}

export function flowMessages(): FlowMessages[] {
  return flows.flatMap((flow): FlowMessages[] => ('messages' in flow ? [flow.messages] : []));
}

export function flowTemplates(): MessageTemplates[] {
  return flows.flatMap((flow): MessageTemplates[] => ('templates' in flow ? [flow.templates as MessageTemplates] : []));
}

/** What the outbox renders with: the core messages and every flow's own. */
export function messageTemplates(): Required<MessageTemplates> {
  return mergeTemplates([coreTemplates, ...flowTemplates()]);
}
