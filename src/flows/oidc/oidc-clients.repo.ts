// Registered services (OIDC clients): all SQL for oidc_clients and oidc_consents.
import type { Queryable } from '../../store/db.ts';

export type ClientType = 'public' | 'confidential';

export interface ClientRow {
  client_id: string;
  name: string;
  type: ClientType;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  secret_hash: string | null;
  created_at: Date;
}

export async function insertClient(
  db: Queryable,
  client: { clientId: string; name: string; type: ClientType; redirectUris: string[]; postLogoutRedirectUris: string[]; secretHash: string | null },
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO oidc_clients (client_id, name, type, redirect_uris, post_logout_redirect_uris, secret_hash, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [client.clientId, client.name, client.type, JSON.stringify(client.redirectUris), JSON.stringify(client.postLogoutRedirectUris),
      client.secretHash, now],
  );
}

export async function findClientRow(db: Queryable, clientId: string): Promise<ClientRow | null> {
  const result = await db.query<ClientRow>('SELECT * FROM oidc_clients WHERE client_id = $1', [clientId]);
  return result.rows[0] ?? null;
}

export async function listClientRows(db: Queryable): Promise<ClientRow[]> {
  return (await db.query<ClientRow>('SELECT * FROM oidc_clients ORDER BY created_at, client_id')).rows;
}

export async function deleteClientRow(db: Queryable, clientId: string): Promise<boolean> {
  return (await db.query('DELETE FROM oidc_clients WHERE client_id = $1', [clientId])).rowCount > 0;
}

/** Every artefact the provider holds for a client: its codes, tokens, grants. */
export async function deleteClientArtefacts(db: Queryable, clientId: string): Promise<void> {
  await db.query(`DELETE FROM oidc_payloads WHERE payload->>'clientId' = $1`, [clientId]);
}

/**
 * The provider's view of a client. Public clients authenticate with nothing and must use
 * PKCE; only confidential ones may hold refresh tokens. `client_secret` carries the stored
 * SHA-256, never the secret: the provider's compareClientSecret is replaced to hash what
 * the service presents (oidc.provider.ts), and every feature that would use the secret as
 * a key (HS* signatures, client_secret_jwt, symmetric encryption) is switched off.
 */
export function clientMetadata(row: ClientRow): Record<string, unknown> {
  const common = {
    client_id: row.client_id,
    client_name: row.name,
    redirect_uris: row.redirect_uris,
    post_logout_redirect_uris: row.post_logout_redirect_uris,
    response_types: ['code'],
    id_token_signed_response_alg: 'RS256',
  };
  if (row.type === 'public') {
    return { ...common, token_endpoint_auth_method: 'none', grant_types: ['authorization_code'] };
  }
  return {
    ...common,
    client_secret: row.secret_hash,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
  };
}

export interface ConsentRow {
  client_id: string;
  name: string;
  scopes: string;
  claims: string[];
  granted_at: Date;
}

export async function findConsent(db: Queryable, accountId: string, clientId: string): Promise<ConsentRow | null> {
  const result = await db.query<ConsentRow>(
    `SELECT c.client_id, k.name, c.scopes, c.claims, c.granted_at FROM oidc_consents c JOIN oidc_clients k USING (client_id)
     WHERE c.account_id = $1 AND c.client_id = $2`,
    [accountId, clientId],
  );
  return result.rows[0] ?? null;
}

export async function listConsents(db: Queryable, accountId: string): Promise<ConsentRow[]> {
  const result = await db.query<ConsentRow>(
    `SELECT c.client_id, k.name, c.scopes, c.claims, c.granted_at FROM oidc_consents c JOIN oidc_clients k USING (client_id)
     WHERE c.account_id = $1 ORDER BY c.granted_at DESC`,
    [accountId],
  );
  return result.rows;
}

export async function saveConsent(db: Queryable, consent: { accountId: string; clientId: string; scopes: string; claims: string[] }, now: Date) {
  await db.query(
    `INSERT INTO oidc_consents (account_id, client_id, scopes, claims, granted_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (account_id, client_id) DO UPDATE SET scopes = EXCLUDED.scopes, claims = EXCLUDED.claims, granted_at = EXCLUDED.granted_at`,
    [consent.accountId, consent.clientId, consent.scopes, JSON.stringify(consent.claims), now],
  );
}

/** Revoking a consent also ends every grant, code and token the service holds for the account. */
export async function deleteConsent(db: Queryable, accountId: string, clientId: string): Promise<boolean> {
  const deleted = await db.query('DELETE FROM oidc_consents WHERE account_id = $1 AND client_id = $2', [accountId, clientId]);
  const grants = await db.query<{ id: string }>(
    `SELECT id FROM oidc_payloads WHERE model = 'Grant' AND payload->>'accountId' = $1 AND payload->>'clientId' = $2`,
    [accountId, clientId],
  );
  for (const grant of grants.rows) {
    await db.query('DELETE FROM oidc_payloads WHERE grant_id = $1 OR (model = $2 AND id = $1)', [grant.id, 'Grant']);
  }
  return deleted.rowCount > 0;
}
