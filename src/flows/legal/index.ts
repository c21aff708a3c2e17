import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { legalMessages } from './legal.messages.ts';
import { legalPageRoutes } from './legal.routes.ts';

export const legalFlow = {
  name: 'legal',
  routes: { pages: legalPageRoutes },
  messages: legalMessages,
} satisfies FlowModule<FlowDeps>;
