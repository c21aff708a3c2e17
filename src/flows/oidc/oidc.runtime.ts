// What the Fastify side knows about a request (the citizen's Varco session, Varco's pages
// for the provider, the session cookie's name) handed to the provider, which only sees the
// raw Node request. The routes (oidc-provider.routes.ts) fill it in; nothing here knows web/.
import type { IncomingMessage } from 'node:http';
import type { OidcCitizen } from './oidc.account.ts';

/** Varco's pages the provider renders, already bound to the request's page context. */
export interface OidcPages {
  logout(input: { client: string; providerForm: string }): string;
  loggedOut(): string;
  error(input: { expired: boolean; code: string }): string;
}

export interface OidcRuntime {
  citizen: OidcCitizen | null;
  pages: OidcPages;
  /** The name of the Varco session cookie, cleared when RP-initiated logout ends the session. */
  sessionCookieName: string;
}

const runtimeKey = Symbol('varco.oidc.runtime');

export function attachRuntime(request: IncomingMessage, runtime: OidcRuntime): void {
  (request as IncomingMessage & { [runtimeKey]?: OidcRuntime })[runtimeKey] = runtime;
}

export function runtimeOf(request: IncomingMessage): OidcRuntime | undefined {
  return (request as IncomingMessage & { [runtimeKey]?: OidcRuntime })[runtimeKey];
}
