// The provider's view of a citizen: claims by scope (shared/API.md "OpenID Connect
// provider") and the acr/amr of the Varco session the journey signed in with.
import type { Account, KoaContextWithOIDC } from 'oidc-provider';
import { findAccountById, type AccountRow } from '../../store/accounts.repo.ts';
import type { Acr } from '../../domain/assurance.ts';
import type { AuthMethod, RequiredAction } from '../../domain/required-actions.ts';
import type { Queryable } from '../../store/db.ts';

/**
 * What the provider needs of a citizen's Varco session (web/session.ts's CitizenSession
 * satisfies it; the routes pass it in, so this flow's logic stays framework-free).
 */
export interface OidcCitizen {
  idHash: string;
  account: AccountRow;
  authMethod: AuthMethod;
  acr: Acr;
  createdAt: Date;
  requiredActions: RequiredAction[];
}

export const acrValues = [
  'urn:varco:acr:password',
  'urn:varco:acr:pin',
  'https://www.spid.gov.it/SpidL1',
  'https://www.spid.gov.it/SpidL2',
  'https://www.spid.gov.it/SpidL3',
  'urn:varco:acr:cie',
] as const;

export const scopeClaims = {
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  profile: ['given_name', 'family_name', 'birthdate', 'fiscal_number'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
};

/** The acr the Varco session was opened with (recorded by the login flow). */
export function acrOf(session: OidcCitizen): string {
  return session.acr;
}

/** RFC 8176 method references: what the citizen actually presented. */
export function amrOf(session: OidcCitizen): string[] {
  switch (session.authMethod) {
    case 'password': return ['pwd'];
    case 'pin': return ['pin'];
    case 'spid': return acrOf(session) === 'https://www.spid.gov.it/SpidL1' ? ['fed', 'pwd'] : ['fed', 'mfa'];
    case 'cie': return ['fed', 'sc', 'mfa'];
  }
}

function isoDate(value: Date | string | null): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'string') return value.slice(0, 10);
  const local = new Date(value.getTime() - value.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

/** Every claim Varco can release; the provider filters them by the granted scopes and claims. */
export function claimsOf(account: AccountRow): Record<string, unknown> {
  return {
    sub: account.id,
    given_name: account.first_name,
    family_name: account.last_name,
    birthdate: isoDate(account.birth_date),
    // As the Italian eID schemes (SPID, CIE) spell it: TINIT- and the codice fiscale.
    fiscal_number: `TINIT-${account.codice_fiscale}`,
    email: account.email ?? undefined,
    email_verified: account.email ? account.email_verified : undefined,
    phone_number: account.mobile ?? undefined,
    phone_number_verified: account.mobile ? account.mobile_verified : undefined,
  };
}

export function findAccountFor(db: Queryable) {
  return async (_ctx: KoaContextWithOIDC, sub: string): Promise<Account | undefined> => {
    if (!/^[0-9a-f-]{36}$/.test(sub)) return undefined;
    const account = await findAccountById(db, sub);
    if (!account) return undefined;
    return { accountId: account.id, claims: () => claimsOf(account) as { sub: string } };
  };
}
