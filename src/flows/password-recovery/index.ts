import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { passwordRecoveryTemplates } from './password-recovery.templates.ts';
import { passwordRecoveryPageRoutes } from './password-recovery-pages.routes.ts';
import { passwordRecoveryMessages } from './password-recovery.messages.ts';
import { passwordRecoveryApiRoutes } from './password-recovery.routes.ts';

export const passwordRecoveryFlow = {
  name: 'password-recovery',
  routes: { api: passwordRecoveryApiRoutes, pages: passwordRecoveryPageRoutes },
  messages: passwordRecoveryMessages,
  templates: passwordRecoveryTemplates,
} satisfies FlowModule<FlowDeps>;
