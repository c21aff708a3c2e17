// What a flow hands to the application (ARCHITECTURE.md "The flow manifest"): its routes by
// scope, its page texts, its message templates. app.ts, the i18n catalogue and delivery
// iterate over the manifest (src/flows/manifest.ts); lower layers never import flows.
import type { FastifyInstance } from 'fastify';
import type { MessageTemplates } from '../delivery/templates/template-set.ts';
import type { FlowMessages } from './i18n/index.ts';

export type RoutesPlugin<D> = (app: FastifyInstance, deps: D) => Promise<void>;

/**
 * Where a routes plugin is registered (web/scopes.ts):
 * - api: public JSON endpoints;             pages: public pages (CSRF on every POST);
 * - citizenApi / citizenPages: a citizen session and its required actions;
 * - deskApi / deskPages: an operator (token or back-office session);
 * - adminApi: the platform-admin token;
 * - bindings: form posts of cross-site protocols (SAML ACS), authenticated by their signed
 *   message, not by CSRF tokens: never a form a citizen fills on Varco.
 */
export type RouteScope = 'api' | 'citizenApi' | 'deskApi' | 'adminApi' | 'pages' | 'citizenPages' | 'deskPages' | 'bindings';
export const routeScopes: readonly RouteScope[] = ['api', 'citizenApi', 'deskApi', 'adminApi', 'pages', 'citizenPages', 'deskPages', 'bindings'];

export interface FlowModule<D> {
  name: string;
  routes?: Partial<Record<RouteScope, RoutesPlugin<D>>>;
  messages?: FlowMessages;
  templates?: MessageTemplates;
  /** Registered only outside production (the development mailbox). */
  developmentOnly?: boolean;
}
