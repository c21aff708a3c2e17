import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { pinTemplates } from './pin.templates.ts';
import { pinDeskRoutes } from './pin-desk.routes.ts';
import { pinMessages } from './pin.messages.ts';
import { pinApiRoutes, pinPageRoutes, pinPublicPageRoutes } from './pin.routes.ts';

export const pinFlow = {
  name: 'pin',
  routes: { citizenApi: pinApiRoutes, deskApi: pinDeskRoutes, citizenPages: pinPageRoutes, pages: pinPublicPageRoutes },
  messages: pinMessages,
  templates: pinTemplates,
} satisfies FlowModule<FlowDeps>;
