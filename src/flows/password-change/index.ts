import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { passwordChangeApiRoutes, passwordChangePageRoutes } from './password-change.routes.ts';

export const passwordChangeFlow = {
  name: 'password-change',
  routes: { citizenApi: passwordChangeApiRoutes, citizenPages: passwordChangePageRoutes },
} satisfies FlowModule<FlowDeps>;
