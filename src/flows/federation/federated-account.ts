// FEDERATED_ACCOUNTS=create: a codice fiscale SPID or CIE vouched for, with no account yet,
// gets a federated-only account — the names and date of birth the IdP asserted, no local
// password or PIN (it signs in with SPID/CIE only, until the citizen sets a password within
// the 10 minutes after such a sign-in, or the desk issues credentials). Unset or `page`: the
// page explaining how to register instead. A race between two first sign-ins creates one row.
import { findAccountByCodiceFiscale, insertAccount, type AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import type { FederatedIdentity } from './check-attributes.ts';

export async function createFederatedAccount(
  deps: Pick<FlowDeps, 'db' | 'clock'>, identity: FederatedIdentity, via: { method: 'spid' | 'cie'; provider: string }, meta: RequestMeta,
): Promise<AccountRow> {
  const now = deps.clock.now();
  const created = await deps.db.transaction(async (tx) => {
    const account = await insertAccount(tx, {
      codiceFiscale: identity.codiceFiscale, firstName: identity.firstName, lastName: identity.lastName, birthDate: identity.birthDate,
      email: null, mobile: null, pec: null, passwordHash: null, passwordTemporaryUntil: null,
    }, now);
    if (account) {
      await recordAudit(tx, now, {
        type: 'federated_account_created', actor: `citizen:${identity.codiceFiscale}`, accountId: account.id, ...meta, outcome: 'success',
        details: { method: via.method, provider: via.provider },
      });
    }
    return account;
  });
  const account = created ?? (await findAccountByCodiceFiscale(deps.db, identity.codiceFiscale));
  if (!account) throw new Error('the federated account was neither created nor found');
  return account;
}
