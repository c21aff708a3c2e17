// oidc-provider's storage Adapter over Varco's Db (PostgreSQL or PGlite): one table keyed by
// model and id, with the grant, uid and user-code lookups and single-use consumption the
// provider relies on. Registered services ('Client') come from oidc_clients instead.
// Expiry follows the wall clock, because the provider itself stamps tokens with Date.now().
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Queryable } from '../../store/db.ts';
import { clientMetadata, findClientRow } from './oidc-clients.repo.ts';

interface PayloadRow {
  payload: AdapterPayload;
  consumed_at: Date | null;
}

export function createAdapterFactory(db: Queryable): (model: string) => Adapter {
  return (model: string) => (model === 'Client' ? new ClientAdapter(db) : new DbAdapter(db, model));
}

class DbAdapter implements Adapter {
  constructor(private readonly db: Queryable, private readonly model: string) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
    await this.db.query(
      `INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
         user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
      [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresAt],
    );
  }

  private async findWhere(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    const result = await this.db.query<PayloadRow>(
      `SELECT payload, consumed_at FROM oidc_payloads
       WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > $3)`,
      [this.model, value, new Date()],
    );
    const row = result.rows[0];
    if (!row) return undefined;
    // The provider refuses a consumed code or token by this mark (replay detection).
    return row.consumed_at ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : row.payload;
  }

  find(id: string) {
    return this.findWhere('id', id);
  }

  findByUid(uid: string) {
    return this.findWhere('uid', uid);
  }

  findByUserCode(userCode: string) {
    return this.findWhere('user_code', userCode);
  }

  async consume(id: string): Promise<void> {
    await this.db.query('UPDATE oidc_payloads SET consumed_at = $3 WHERE model = $1 AND id = $2 AND consumed_at IS NULL', [
      this.model, id, new Date(),
    ]);
  }

  async destroy(id: string): Promise<void> {
    await this.db.query('DELETE FROM oidc_payloads WHERE model = $1 AND id = $2', [this.model, id]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.query('DELETE FROM oidc_payloads WHERE grant_id = $1', [grantId]);
  }
}

/** Read-only: services are registered through the platform-admin API, never by the provider. */
class ClientAdapter implements Adapter {
  constructor(private readonly db: Queryable) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (id.length > 100) return undefined;
    const row = await findClientRow(this.db, id);
    return row ? (clientMetadata(row) as AdapterPayload) : undefined;
  }

  async upsert(): Promise<void> {
    throw new Error('clients are registered through /api/v1/admin/oidc/clients');
  }

  async findByUid() {
    return undefined;
  }

  async findByUserCode() {
    return undefined;
  }

  async consume(): Promise<void> {}

  async destroy(): Promise<void> {}

  async revokeByGrantId(): Promise<void> {}
}

/** Housekeeping: expired artefacts are deleted (the lookups ignore them already). */
export async function pruneExpiredPayloads(db: Queryable, now: Date): Promise<number> {
  const result = await db.query('DELETE FROM oidc_payloads WHERE expires_at IS NOT NULL AND expires_at <= $1', [now]);
  return result.rowCount;
}
