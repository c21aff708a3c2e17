// SPID and CIE: Varco as a SAML service provider (metadata, AuthnRequests, the ACS) and, in
// development, the test IdP. Both are registered in the bindings scope: the ACS receives the
// IdP's cross-site POST, authenticated by the signed Response rather than a CSRF token.
import type { FlowModule } from '../../web/flow-module.ts';
import type { DevIdp } from '../../dev/idp/idp.keys.ts';
import { devIdpMessages } from '../../dev/idp/idp.messages.ts';
import { devIdpRoutes } from '../../dev/idp/idp.routes.ts';
import type { FlowDeps } from '../deps.ts';
import { federationMessages } from './federation.messages.ts';
import { federationRoutes } from './federation.routes.ts';
import { pinRenewalRoutes, pinRenewedPageRoutes } from './pin-renewal.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    devIdp: DevIdp | null;
  }
}

export const federationFlow = {
  name: 'federation',
  routes: {
    bindings: async (app, deps) => {
      const federation = app.federation;
      if (!federation) return;
      await app.register(federationRoutes, { deps, federation });
      if (app.devIdp) await app.register(devIdpRoutes, { deps, idp: app.devIdp, federation });
    },
    citizenPages: pinRenewalRoutes,
    pages: pinRenewedPageRoutes,
  },
  // The test IdP's texts ride along: it is registered by this flow (development only).
  messages: {
    it: { ...federationMessages.it, ...devIdpMessages.it },
    en: { ...federationMessages.en, ...devIdpMessages.en },
    ro: { ...federationMessages.ro, ...devIdpMessages.ro },
  },
} satisfies FlowModule<FlowDeps>;
