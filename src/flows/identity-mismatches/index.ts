import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { identityMismatchMessages } from './identity-mismatches.messages.ts';
import { identityMismatchApiRoutes, identityMismatchPageRoutes } from './identity-mismatches.routes.ts';

/** Issue 10: SPID/CIE personal data that differ from the account's, for operators to review. */
export const identityMismatchesFlow = {
  name: 'identity-mismatches',
  routes: { deskApi: identityMismatchApiRoutes, deskPages: identityMismatchPageRoutes },
  messages: identityMismatchMessages,
} satisfies FlowModule<FlowDeps>;
