// The services a citizen has authorised, and revoking one: the remembered consent goes, and
// with it every grant, code and token the service holds for the citizen.
import { AppError } from '../../domain/errors.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { deleteConsent, listConsents } from './oidc-clients.repo.ts';

export async function consentedServices(deps: Pick<FlowDeps, 'db'>, accountId: string) {
  const rows = await listConsents(deps.db, accountId);
  return rows.map((row) => ({ clientId: row.client_id, name: row.name, scopes: row.scopes.split(' ').filter(Boolean), grantedAt: row.granted_at }));
}

export async function revokeConsent(
  deps: Pick<FlowDeps, 'db' | 'clock'>,
  citizen: { accountId: string; codiceFiscale: string },
  clientId: string,
  meta: RequestMeta,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    if (!(await deleteConsent(tx, citizen.accountId, clientId))) throw new AppError('not_found');
    await recordAudit(tx, deps.clock.now(), {
      type: 'oidc_consent_revoked', actor: `citizen:${citizen.codiceFiscale}`, accountId: citizen.accountId, ...meta,
      outcome: 'success', details: { clientId },
    });
  });
}
