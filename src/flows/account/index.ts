import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { accountMessages } from './account.messages.ts';
import { accountApiRoutes, accountPageRoutes, homeRoutes } from './account.routes.ts';

export const accountFlow = {
  name: 'account',
  routes: { citizenApi: accountApiRoutes, citizenPages: accountPageRoutes, pages: homeRoutes },
  messages: accountMessages,
} satisfies FlowModule<FlowDeps>;
