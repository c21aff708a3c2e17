import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { pinRecoveryTemplates } from './pin-recovery.templates.ts';
import { pinRecoveryMessages } from './pin-recovery.messages.ts';
import { pinRecoveryApiRoutes, pinRecoveryPageRoutes } from './pin-recovery.routes.ts';

export const pinRecoveryFlow = {
  name: 'pin-recovery',
  routes: { api: pinRecoveryApiRoutes, pages: pinRecoveryPageRoutes },
  messages: pinRecoveryMessages,
  templates: pinRecoveryTemplates,
} satisfies FlowModule<FlowDeps>;
