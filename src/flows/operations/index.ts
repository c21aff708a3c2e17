import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { operationsRoutes } from './operations.routes.ts';

export const operationsFlow = {
  name: 'operations',
  routes: { api: operationsRoutes },
} satisfies FlowModule<FlowDeps>;
