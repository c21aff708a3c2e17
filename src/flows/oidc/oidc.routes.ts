// Everything OpenID Connect, registered by one line in app.ts.
import type { FastifyInstance } from 'fastify';
import type { FlowDeps } from '../deps.ts';
import { oidcClientRoutes } from './oidc-clients.routes.ts';
import { oidcConsentRoutes } from './oidc-consents.routes.ts';
import { oidcInteractionRoutes } from './oidc-interaction.routes.ts';
import { oidcProviderMount } from './oidc-provider.routes.ts';

export async function oidcRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  await app.register(oidcClientRoutes, deps);
  await app.register(oidcProviderMount, deps);
  await app.register(oidcInteractionRoutes, deps);
  await app.register(oidcConsentRoutes, deps);
}
