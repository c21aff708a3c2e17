// What an interaction needs next, decided from the provider's prompt and the citizen's
// Varco session. No Fastify here: the routes carry the decision out.
import type { InteractionResults } from 'oidc-provider';
import type { Queryable } from '../../store/db.ts';
import { acrOf, amrOf, type OidcCitizen } from './oidc.account.ts';
import { findConsent, saveConsent } from './oidc-clients.repo.ts';

export interface InteractionView {
  uid: string;
  iat?: number;
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  params: Record<string, unknown>;
  session?: { accountId: string } | undefined;
}

export type Decision =
  | { kind: 'sign_in'; next: string }
  | { kind: 'login'; result: InteractionResults }
  | { kind: 'consent'; scopes: string[] };

/** Where the sign-in page sends the browser back to (a relative Varco path, S27). */
export function interactionPath(uid: string): string {
  return `/oidc/interaction/${encodeURIComponent(uid)}`;
}

/** prompt=login or an exceeded max_age want a sign-in made after the service asked. */
function wantsFreshSignIn(view: InteractionView, citizen: OidcCitizen): boolean {
  const fresh = view.prompt.reasons.includes('login_prompt') || view.prompt.reasons.includes('max_age');
  return fresh && view.iat !== undefined && citizen.createdAt.getTime() < view.iat * 1000;
}

export function decide(view: InteractionView, citizen: OidcCitizen | null): Decision {
  const signIn: Decision = { kind: 'sign_in', next: interactionPath(view.uid) };
  // Lockout, required actions and recovery all live in the sign-in flow: any doubt goes there.
  if (!citizen || citizen.requiredActions.length > 0) return signIn;
  if (view.prompt.name === 'login') {
    if (wantsFreshSignIn(view, citizen)) return signIn;
    return {
      kind: 'login',
      result: {
        login: { accountId: citizen.account.id, acr: acrOf(citizen), amr: amrOf(citizen), ts: Math.floor(citizen.createdAt.getTime() / 1000), remember: true },
      },
    };
  }
  if (view.session?.accountId !== citizen.account.id) return signIn;
  const missing = view.prompt.details.missingOIDCScope;
  return { kind: 'consent', scopes: Array.isArray(missing) ? (missing as string[]) : [] };
}

/** The scopes and claims the citizen agrees to, added to what they agreed before. */
export async function rememberConsent(
  db: Queryable,
  consent: { accountId: string; clientId: string; scopes: string[]; claims: string[] },
  now: Date,
): Promise<void> {
  const before = await findConsent(db, consent.accountId, consent.clientId);
  const scopes = new Set([...(before?.scopes.split(' ').filter(Boolean) ?? []), ...consent.scopes]);
  const claims = new Set([...(before?.claims ?? []), ...consent.claims]);
  await saveConsent(db, { accountId: consent.accountId, clientId: consent.clientId, scopes: [...scopes].join(' '), claims: [...claims] }, now);
}
