// Security notices (S30): the new-device notice and the "this wasn't me" link every notice
// carries (credential, contact and lock notices add it where they are sent).
import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { noticesMessages } from './notices.messages.ts';
import { noticesPageRoutes } from './notices.routes.ts';
import { noticesTemplates } from './notices.templates.ts';

export const noticesFlow = {
  name: 'notices',
  routes: { pages: noticesPageRoutes },
  messages: noticesMessages,
  templates: noticesTemplates,
} satisfies FlowModule<FlowDeps>;
