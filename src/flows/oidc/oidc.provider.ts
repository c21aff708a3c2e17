// The OpenID Connect provider (panva's certified oidc-provider) configured for Varco:
// issuer PUBLIC_URL, endpoints under /oidc/, authorization code flow only, PKCE S256 for
// every client, asymmetric signatures only, exact redirect URIs (the library's rule),
// short-lived codes, refresh tokens for confidential services only, storage in our Db.
import { createHash, createHmac } from 'node:crypto';
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { constantTimeEqual } from '../../domain/secrets.ts';
import type { FlowDeps } from '../deps.ts';
import { acrValues, findAccountFor, scopeClaims } from './oidc.account.ts';
import { createAdapterFactory } from './oidc.adapter.ts';
import { findConsent } from './oidc-clients.repo.ts';
import { allowFormTargetOrigin } from './oidc.csp.ts';
import type { SigningJwk } from './oidc.keys.ts';
import { endVarcoSessionAfterLogout } from './oidc.logout.ts';
import { runtimeOf } from './oidc.runtime.ts';

export const idTokenTtlSeconds = 60 * 60;
const clockToleranceSeconds = 15;
/** How long a retired key must stay published: the life of the last ID token it signed. */
export const keyPublishSeconds = idTokenTtlSeconds + clockToleranceSeconds;

export const oidcRoutes = {
  authorization: '/oidc/auth',
  end_session: '/oidc/session/end',
  jwks: '/oidc/jwks',
  token: '/oidc/token',
  userinfo: '/oidc/me',
  revocation: '/oidc/token/revocation',
} as const;

/** The login prompt also asks for Varco's own session: the provider's session never outlives it. */
function loginPolicy() {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  login?.checks.add(new interactionPolicy.Check('varco_session', 'a live Varco session is required', (ctx) => {
    const citizen = runtimeOf(ctx.req)?.citizen;
    if (!citizen || citizen.requiredActions.length > 0) return interactionPolicy.Check.REQUEST_PROMPT;
    const session = ctx.oidc.session;
    if (!session || session.accountId !== citizen.account.id) return interactionPolicy.Check.REQUEST_PROMPT;
    if (Number(session.authTime()) !== Math.floor(citizen.createdAt.getTime() / 1000)) return interactionPolicy.Check.REQUEST_PROMPT;
    return interactionPolicy.Check.NO_NEED_TO_PROMPT;
  }), 0);
  return policy;
}

function clientName(ctx: KoaContextWithOIDC): string {
  return ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? 'Varco';
}

function views(): NonNullable<Configuration['features']>['rpInitiatedLogout'] & object {
  return {
    enabled: true,
    logoutSource(ctx, form) {
      const pages = runtimeOf(ctx.req)?.pages;
      allowFormTargetOrigin(ctx.res, ctx.oidc.session?.state?.postLogoutRedirectUri as string | undefined);
      ctx.set('Cache-Control', 'no-store, private');
      ctx.type = 'html';
      ctx.body = pages ? pages.logout({ client: clientName(ctx), providerForm: form }) : form;
    },
    postLogoutSuccessSource(ctx) {
      const pages = runtimeOf(ctx.req)?.pages;
      ctx.type = 'html';
      ctx.body = pages ? pages.loggedOut() : '';
    },
  };
}

function configuration(deps: FlowDeps, keys: SigningJwk[]): Configuration {
  const secure = deps.config.publicUrl.startsWith('https://');
  const cookieKey = createHmac('sha256', deps.config.sessionSecret).update('oidc-provider cookies').digest('base64url');
  return {
    adapter: createAdapterFactory(deps.db),
    jwks: { keys: keys as NonNullable<Configuration['jwks']>['keys'] },
    findAccount: findAccountFor(deps.db),
    routes: oidcRoutes,
    responseTypes: ['code'],
    scopes: ['openid', 'offline_access', 'profile', 'email', 'phone'],
    claims: scopeClaims,
    acrValues: [...acrValues],
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    // S33: no `none`, no HS* (a stored hash must never become a signing key).
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      requestObjectSigningAlgValues: ['RS256', 'ES256'],
      clientAuthSigningAlgValues: ['RS256', 'ES256'],
      introspectionSigningAlgValues: ['RS256', 'ES256'],
      authorizationSigningAlgValues: ['RS256', 'ES256'],
    },
    pkce: { methods: ['S256'], required: () => true },
    clockTolerance: clockToleranceSeconds,
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 10 * 60,
      IdToken: idTokenTtlSeconds,
      Interaction: 30 * 60,
      Session: 12 * 60 * 60,
      Grant: 14 * 24 * 60 * 60,
      RefreshToken: 14 * 24 * 60 * 60,
    },
    issueRefreshToken: async (_ctx, client, code) =>
      client.clientAuthMethod !== 'none' && client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    cookies: {
      keys: [cookieKey],
      long: { httpOnly: true, sameSite: 'lax', secure, signed: true },
      short: { httpOnly: true, sameSite: 'lax', secure, signed: true },
    },
    interactions: { url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}`, policy: loginPolicy() },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: views(),
    },
    loadExistingGrant: (ctx) => loadRememberedGrant(deps, ctx),
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-store, private');
      const expired = out.error === 'invalid_request' && /interaction|session/i.test(String(out.error_description ?? ''));
      const pages = runtimeOf(ctx.req)?.pages;
      ctx.body = pages ? pages.error({ expired, code: String(out.error) }) : String(out.error);
    },
  };
}

/**
 * Consent is remembered per service in oidc_consents (revocable in the personal area); the
 * provider's Grant lives only as long as its tokens, so it is rebuilt from the consent.
 */
async function loadRememberedGrant(deps: FlowDeps, ctx: KoaContextWithOIDC) {
  const clientId = ctx.oidc.client!.clientId;
  const accountId = ctx.oidc.session!.accountId;
  const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(clientId);
  if (grantId) {
    const grant = await ctx.oidc.provider.Grant.find(grantId);
    if (grant && grant.accountId === accountId) return grant;
  }
  if (!accountId) return undefined;
  const consent = await findConsent(deps.db, accountId, clientId);
  if (!consent) return undefined;
  const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
  grant.addOIDCScope(consent.scopes);
  if (consent.claims.length > 0) grant.addOIDCClaims(consent.claims);
  await grant.save();
  return grant;
}

export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export function buildProvider(deps: FlowDeps, keys: SigningJwk[]): Provider {
  const provider = new Provider(deps.config.publicUrl, configuration(deps, keys));
  // The mount rewrites Host and X-Forwarded-Proto from PUBLIC_URL (oidc-provider.routes.ts), so every
  // URL the provider prints is under the issuer whatever Host a client sent.
  provider.proxy = true;
  // Client secrets are stored hashed: the provider's metadata carries the hash, and the one
  // comparison it makes is replaced by "hash what was presented, compare in constant time".
  // This is the extension point the library's author recommends for hashed secrets; it is
  // sound because nothing else may use the secret (no HS*, no client_secret_jwt above).
  provider.Client.prototype.compareClientSecret = function compare(this: { clientSecret?: string }, actual: string) {
    return typeof this.clientSecret === 'string' && constantTimeEqual(hashClientSecret(actual), this.clientSecret);
  };
  provider.use(endVarcoSessionAfterLogout(deps));
  return provider;
}
