// oidc_payloads: the provider's artefacts (sessions, grants, codes, tokens, interactions),
// keyed by model and id, with the grant, uid and user-code lookups the adapter needs.
import type { AdapterPayload } from 'oidc-provider';
import type { Queryable } from '../../store/db.ts';

export interface PayloadRow {
  payload: AdapterPayload;
  consumed_at: Date | null;
}

export async function upsertPayload(
  db: Queryable,
  model: string,
  id: string,
  payload: AdapterPayload,
  expiresAt: Date | null,
): Promise<void> {
  await db.query(
    `INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
       user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
    [model, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresAt],
  );
}

/** The live (unexpired at `now`) payload of a model by id, uid or user code. */
export async function findPayloadWhere(
  db: Queryable,
  model: string,
  column: 'id' | 'uid' | 'user_code',
  value: string,
  now: Date,
): Promise<PayloadRow | undefined> {
  const result = await db.query<PayloadRow>(
    `SELECT payload, consumed_at FROM oidc_payloads
     WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > $3)`,
    [model, value, now],
  );
  return result.rows[0];
}

export async function consumePayload(db: Queryable, model: string, id: string, now: Date): Promise<void> {
  await db.query('UPDATE oidc_payloads SET consumed_at = $3 WHERE model = $1 AND id = $2 AND consumed_at IS NULL', [
    model, id, now,
  ]);
}

export async function deletePayload(db: Queryable, model: string, id: string): Promise<void> {
  await db.query('DELETE FROM oidc_payloads WHERE model = $1 AND id = $2', [model, id]);
}

export async function deletePayloadsByGrantId(db: Queryable, grantId: string): Promise<void> {
  await db.query('DELETE FROM oidc_payloads WHERE grant_id = $1', [grantId]);
}

/** Housekeeping: expired artefacts are deleted (the lookups ignore them already). */
export async function pruneExpiredPayloads(db: Queryable, now: Date): Promise<number> {
  const result = await db.query('DELETE FROM oidc_payloads WHERE expires_at IS NOT NULL AND expires_at <= $1', [now]);
  return result.rowCount;
}

/** What the provider holds for an account (its sessions, codes, tokens, grants): "this wasn't me" ends them; consents stay. */
export async function deleteAccountArtefacts(db: Queryable, accountId: string): Promise<void> {
  await db.query(`DELETE FROM oidc_payloads WHERE payload->>'accountId' = $1`, [accountId]);
}
