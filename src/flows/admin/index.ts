import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { adminRoutes } from './admin.routes.ts';

export const adminFlow = {
  name: 'admin',
  routes: { adminApi: adminRoutes },
} satisfies FlowModule<FlowDeps>;
