// The OpenID Connect provider for the portal's own services: oidc-provider mounted on
// Varco's storage, the clients API, and Varco's own interaction, consent and services pages.
// Its routes carry their own body parsing, CSRF and authentication (the provider's endpoints
// are called by services, not only by browsers), so they sit in the plain api scope.
import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { oidcMessages } from './oidc.messages.ts';
import { oidcRoutes } from './oidc.routes.ts';

export const oidcFlow = {
  name: 'oidc',
  routes: { api: oidcRoutes },
  messages: oidcMessages,
} satisfies FlowModule<FlowDeps>;
