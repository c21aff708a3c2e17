// A PIN holder revokes the PIN and gets a new one through SPID (level 2 or 3) or CIE, like the
// password recovery through them (S13: within 10 minutes of that sign-in). The new
// 16-character PIN goes in two halves to the registered mobile and email; what follows —
// every session ends, outstanding links and codes die, the lock is cleared, the audit — is the
// after-change rule of a PIN recovery (src/flows/credentials/after-change.ts), applied by the
// same issuing step the desk and the recovery code use.
import { AppError } from '../../domain/errors.ts';
import { federatedRecoveryAllowed, type SessionProof } from '../../domain/federated-recovery.ts';
import { findAccountById, type AccountRow } from '../../store/accounts.repo.ts';
import type { FlowDeps } from '../deps.ts';
import { preparePin, storeIssuedPin } from '../pin/pin-issue.steps.ts';
import type { RequestMeta } from '../request-meta.ts';

export type PinRenewal = 'allowed' | 'needs_federated_sign_in' | 'no_pin' | 'no_contacts';

/** Whether this session may renew the PIN now, and if not, why (the page explains it). */
export function pinRenewal(account: Pick<AccountRow, 'pin_state' | 'mobile' | 'email'>, session: SessionProof, now: Date): PinRenewal {
  if (!federatedRecoveryAllowed(session, now)) return 'needs_federated_sign_in';
  if (account.pin_state === 'none') return 'no_pin';
  if (!account.mobile || !account.email) return 'no_contacts';
  return 'allowed';
}

export async function renewPinThroughFederation(deps: FlowDeps, session: SessionProof & { accountId: string }, meta: RequestMeta): Promise<void> {
  const account = await findAccountById(deps.db, session.accountId);
  if (!account) throw new AppError('unauthenticated');
  const verdict = pinRenewal(account, session, deps.clock.now());
  if (verdict === 'needs_federated_sign_in') throw new AppError('forbidden', {}, 'sign in with SPID (level 2 or 3) or CIE first, within 10 minutes');
  if (verdict !== 'allowed') throw new AppError('conflict', {}, verdict === 'no_pin' ? 'the account has no PIN' : 'the account needs a registered mobile and email');
  const prepared = await preparePin(deps); // the slow hash before the transaction
  await deps.db.transaction((tx) => storeIssuedPin(tx, deps, account, prepared, { kind: 'pin_recovery', actor: `citizen:${account.codice_fiscale}` }, meta));
}
