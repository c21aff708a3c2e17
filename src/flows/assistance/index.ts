import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { assistanceTemplates } from './assistance.templates.ts';
import { assistanceMessages } from './assistance.messages.ts';
import { assistanceApiRoutes, assistancePageRoutes } from './assistance.routes.ts';

export const assistanceFlow = {
  name: 'assistance',
  routes: { api: assistanceApiRoutes, pages: assistancePageRoutes },
  messages: assistanceMessages,
  templates: assistanceTemplates,
} satisfies FlowModule<FlowDeps>;
