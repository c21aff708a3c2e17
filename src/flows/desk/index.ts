import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { deskMessages } from './desk.messages.ts';
import { deskApiRoutes, deskPageRoutes, deskSignInRoutes } from './desk.routes.ts';

export const deskFlow = {
  name: 'desk',
  routes: { deskApi: deskApiRoutes, pages: deskSignInRoutes, deskPages: deskPageRoutes },
  messages: deskMessages,
} satisfies FlowModule<FlowDeps>;
