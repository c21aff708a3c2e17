// S13: a SPID sign-in of level 2 or 3, or a CIE sign-in, stands in for the current password
// for ten minutes — the citizen just proved who they are to the national identity, whose
// fiscalNumber found this very account. SpidL1 (password only at the IdP) does not.
import type { AuthMethod } from './required-actions.ts';

export const federatedRecoverySeconds = 10 * 60;

const strongSpid = new Set(['https://www.spid.gov.it/SpidL2', 'https://www.spid.gov.it/SpidL3']);

export interface SessionProof {
  method: AuthMethod;
  acr: string | null;
  createdAt: Date;
}

export function federatedRecoveryAllowed(session: SessionProof, now: Date): boolean {
  const age = (now.getTime() - session.createdAt.getTime()) / 1000;
  if (age < 0 || age > federatedRecoverySeconds) return false;
  if (session.method === 'cie') return session.acr === 'urn:varco:acr:cie';
  return session.method === 'spid' && session.acr !== null && strongSpid.has(session.acr);
}
