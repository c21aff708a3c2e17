// oidc-provider's storage Adapter over Varco's Db (PostgreSQL or PGlite): one table keyed by
// model and id, with the grant, uid and user-code lookups and single-use consumption the
// provider relies on. Registered services ('Client') come from oidc_clients instead.
// Expiry follows the wall clock, because the provider itself stamps tokens with Date.now().
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Queryable } from '../../store/db.ts';
import { clientMetadata, findClientRow } from './oidc-clients.repo.ts';
import { consumePayload, deletePayload, deletePayloadsByGrantId, findPayloadWhere, upsertPayload } from './oidc-payloads.repo.ts';

export function createAdapterFactory(db: Queryable): (model: string) => Adapter {
  return (model: string) => (model === 'Client' ? new ClientAdapter(db) : new DbAdapter(db, model));
}

class DbAdapter implements Adapter {
  private readonly db: Queryable;
  private readonly model: string;
  constructor(db: Queryable, model: string) {
    this.db = db;
    this.model = model;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
    await upsertPayload(this.db, this.model, id, payload, expiresAt);
  }

  private async findWhere(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    const row = await findPayloadWhere(this.db, this.model, column, value, new Date());
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
    await consumePayload(this.db, this.model, id, new Date());
  }

  async destroy(id: string): Promise<void> {
    await deletePayload(this.db, this.model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await deletePayloadsByGrantId(this.db, grantId);
  }
}

/** Read-only: services are registered through the platform-admin API, never by the provider. */
class ClientAdapter implements Adapter {
  private readonly db: Queryable;
  constructor(db: Queryable) {
    this.db = db;
  }

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
