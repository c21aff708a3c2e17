// First access of enrolled workers: verify the email, set a security question, verify the
// mobile, in that order, as required actions of the login flow.
import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { profileCompletionPageRoutes } from './profile-completion-pages.routes.ts';
import { profileCompletionMessages } from './profile-completion.messages.ts';
import { profileCompletionApiRoutes } from './profile-completion.routes.ts';

export const profileCompletionFlow = {
  name: 'profile-completion',
  // These routes resolve required actions, so they check the session themselves rather than
  // through the citizen scopes' "nothing pending" hook.
  routes: { api: profileCompletionApiRoutes, pages: profileCompletionPageRoutes },
  messages: profileCompletionMessages,
} satisfies FlowModule<FlowDeps>;
