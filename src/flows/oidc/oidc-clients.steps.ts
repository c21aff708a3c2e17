// Registration of the portal's services by the platform admin. A confidential service's
// secret is shown once and stored only as a hash (see clientMetadata for how it is checked).
import { AppError } from '../../domain/errors.ts';
import { newToken } from '../../domain/secrets.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { deleteClientArtefacts, deleteClientRow, insertClient, listClientRows, type ClientType } from './oidc-clients.repo.ts';
import { hashClientSecret } from './oidc.provider.ts';

export interface ClientRegistration {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  type: ClientType;
}

/** Exact, absolute URIs without fragments; http only for loopback hosts (development services). */
function checkUris(field: string, uris: string[]): void {
  for (const uri of uris) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new AppError('invalid_request', { errors: [{ field, message: 'not an absolute URI' }] });
    }
    const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
    if (!allowed || url.hash || url.username || url.password) {
      throw new AppError('invalid_request', { errors: [{ field, message: 'https (or http on loopback), no fragment, no credentials' }] });
    }
  }
}

export async function registerClient(deps: FlowDeps, input: ClientRegistration, meta: RequestMeta) {
  checkUris('redirectUris', input.redirectUris);
  checkUris('postLogoutRedirectUris', input.postLogoutRedirectUris ?? []);
  const clientId = `svc-${deps.random.bytes(12).toString('base64url')}`;
  const clientSecret = input.type === 'confidential' ? newToken(deps.random) : undefined;
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await insertClient(tx, {
      clientId, name: input.name, type: input.type, redirectUris: input.redirectUris,
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? [], secretHash: clientSecret ? hashClientSecret(clientSecret) : null,
    }, now);
    await recordAudit(tx, now, { type: 'oidc_client_registered', actor: 'admin', ...meta, outcome: 'success', details: { clientId, type: input.type } });
  });
  return clientSecret ? { clientId, clientSecret } : { clientId };
}

export async function listClients(deps: Pick<FlowDeps, 'db'>) {
  const rows = await listClientRows(deps.db);
  return rows.map((row) => ({
    clientId: row.client_id, name: row.name, type: row.type, redirectUris: row.redirect_uris,
    postLogoutRedirectUris: row.post_logout_redirect_uris, createdAt: row.created_at.toISOString(),
  }));
}

/** Removing a service ends everything it holds: codes, tokens, grants and consents. */
export async function removeClient(deps: FlowDeps, clientId: string, meta: RequestMeta): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await deleteClientArtefacts(tx, clientId);
    if (!(await deleteClientRow(tx, clientId))) throw new AppError('not_found');
    await recordAudit(tx, deps.clock.now(), { type: 'oidc_client_removed', actor: 'admin', ...meta, outcome: 'success', details: { clientId } });
  });
}
