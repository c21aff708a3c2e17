// An administration's own pages: sign-in by its token, CSV uploads processed as background
// jobs with a status page, the rejection report, and the list of its workers (issue 12).
import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { administrationPageRoutes } from './administration-pages.routes.ts';
import { administrationPagesMessages } from './administration-pages.messages.ts';

export const administrationPagesFlow = {
  name: 'administration-pages',
  // Public pages scope (CSRF on every POST); the routes after sign-in check the session themselves.
  routes: { pages: administrationPageRoutes },
  messages: administrationPagesMessages,
} satisfies FlowModule<FlowDeps>;
