import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { devMailboxRoutes } from './dev-mailbox.routes.ts';

export const devMailboxFlow = {
  name: 'dev-mailbox',
  routes: { api: devMailboxRoutes },
  developmentOnly: true,
} satisfies FlowModule<FlowDeps>;
