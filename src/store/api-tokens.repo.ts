// API tokens of the platform admin, administrations and operators: stored as SHA-256 (S5).
import type { Queryable } from './db.ts';

export type ApiRole = 'platform_admin' | 'administration' | 'operator';

export interface ApiPrincipal {
  tokenId: string;
  role: ApiRole;
  subjectId: string | null;
}

export async function findApiPrincipal(db: Queryable, tokenHash: string): Promise<ApiPrincipal | null> {
  const result = await db.query<{ id: string; role: ApiRole; subject_id: string | null }>(
    'SELECT id, role, subject_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
    [tokenHash],
  );
  const row = result.rows[0];
  return row ? { tokenId: row.id, role: row.role, subjectId: row.subject_id } : null;
}

export async function insertApiToken(
  db: Queryable,
  token: { tokenHash: string; role: ApiRole; subjectId: string | null },
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO api_tokens (token_hash, role, subject_id, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (token_hash) DO NOTHING`,
    [token.tokenHash, token.role, token.subjectId, now],
  );
}
