// How strongly a session was authenticated: the `acr` values of shared/API.md, carried by the
// session, the ID tokens of the OpenID Connect provider and the activity log.
import type { AuthMethod } from './required-actions.ts';

export const spidLevels = [1, 2, 3] as const;
export type SpidLevel = (typeof spidLevels)[number];

export type Acr =
  | 'urn:varco:acr:password'
  | 'urn:varco:acr:pin'
  | 'https://www.spid.gov.it/SpidL1'
  | 'https://www.spid.gov.it/SpidL2'
  | 'https://www.spid.gov.it/SpidL3'
  | 'urn:varco:acr:cie';

export function localAcr(method: 'password' | 'pin'): Acr {
  return method === 'password' ? 'urn:varco:acr:password' : 'urn:varco:acr:pin';
}

export function spidAcr(level: SpidLevel): Acr {
  return `https://www.spid.gov.it/SpidL${level}`;
}

/** The SPID level an acr stands for (CIE counts as level 3: card and PIN), or null for local methods. */
export function levelOfAcr(acr: string | null): SpidLevel | null {
  if (acr === 'urn:varco:acr:cie') return 3;
  const match = /^https:\/\/www\.spid\.gov\.it\/SpidL([123])$/.exec(acr ?? '');
  return match ? (Number(match[1]) as SpidLevel) : null;
}

/** Sessions opened before acr was recorded carry none: their method says it. */
export function acrOfSession(method: AuthMethod, acr: string | null): Acr {
  if (acr) return acr as Acr;
  return method === 'pin' ? 'urn:varco:acr:pin' : 'urn:varco:acr:password';
}
