// The citizen's active sessions in the personal area: device, approximate place, last use;
// end one, or every other one (pages and API).
import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { sessionsMessages } from './sessions.messages.ts';
import { sessionsApiRoutes, sessionsPageRoutes } from './sessions.routes.ts';

export const sessionsFlow = {
  name: 'sessions',
  routes: { citizenApi: sessionsApiRoutes, citizenPages: sessionsPageRoutes },
  messages: sessionsMessages,
} satisfies FlowModule<FlowDeps>;
