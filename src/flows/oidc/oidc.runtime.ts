// What the Fastify side knows about a request (the citizen's Varco session, the page
// context) handed to the provider, which only sees the raw Node request.
import type { IncomingMessage } from 'node:http';
import type { PageContext } from '../../web/layout.ts';
import type { CitizenSession } from '../../web/session.ts';

export interface OidcRuntime {
  citizen: CitizenSession | null;
  page: PageContext;
}

const runtimeKey = Symbol('varco.oidc.runtime');

export function attachRuntime(request: IncomingMessage, runtime: OidcRuntime): void {
  (request as IncomingMessage & { [runtimeKey]?: OidcRuntime })[runtimeKey] = runtime;
}

export function runtimeOf(request: IncomingMessage): OidcRuntime | undefined {
  return (request as IncomingMessage & { [runtimeKey]?: OidcRuntime })[runtimeKey];
}
