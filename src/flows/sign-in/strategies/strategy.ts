// A sign-in strategy accepts one kind of proof and says who signed in and how strongly.
// Password and PIN are local strategies (a secret checked under the lockout); SPID and CIE
// accept a SAML assertion. Each ends in finishLoginFlow, which owns the session.
import type { Acr } from '../../../domain/assurance.ts';
import type { AuthMethod } from '../../../domain/required-actions.ts';
import type { AccountRow } from '../../../store/accounts.repo.ts';

export interface AcceptedSignIn {
  account: AccountRow;
  method: AuthMethod;
  acr: Acr;
  /** The SPID / CIE identity provider (entityID); null for local strategies. */
  provider?: string | null;
}

/** A strategy that checks a secret typed with the codice fiscale. */
export interface LocalSecretStrategy {
  method: 'password' | 'pin';
  acr: Acr;
  /** The stored hash this secret is checked against; null when that credential cannot be used now. */
  usableHash(account: AccountRow | null, now: Date): string | null;
  /** The form the secret is compared in (passwords are NFKC-normalised, PINs are exact). */
  normalise(secret: string): string;
  /** Whether an accepted secret whose hash has weaker parameters is hashed again (S11). */
  rehashes: boolean;
}
