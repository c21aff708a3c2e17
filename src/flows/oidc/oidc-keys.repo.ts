// oidc_signing_keys: the provider's signing keys, shared by every instance.
import type { JsonWebKey } from 'node:crypto';
import type { Queryable } from '../../store/db.ts';

export interface KeyRow<Alg extends string = string> {
  kid: string;
  alg: Alg;
  private_jwk: JsonWebKey;
}

/** Serialises key creation and rotation across instances (inside a transaction). */
export async function lockSigningKeys(tx: Queryable, lockKey: number): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
}

export async function hasActiveSigningKeys(tx: Queryable): Promise<boolean> {
  const active = await tx.query('SELECT 1 FROM oidc_signing_keys WHERE retired_at IS NULL');
  return active.rowCount !== 0;
}

export async function insertSigningKey(tx: Queryable, key: { kid: string; alg: string; jwk: JsonWebKey }, now: Date): Promise<void> {
  await tx.query('INSERT INTO oidc_signing_keys (kid, alg, private_jwk, created_at) VALUES ($1, $2, $3, $4)', [
    key.kid, key.alg, JSON.stringify(key.jwk), now,
  ]);
}

export async function deleteUnpublishedSigningKeys(tx: Queryable, now: Date): Promise<void> {
  await tx.query('DELETE FROM oidc_signing_keys WHERE publish_until IS NOT NULL AND publish_until <= $1', [now]);
}

export async function retireActiveSigningKeys(tx: Queryable, now: Date, publishUntil: Date): Promise<void> {
  await tx.query('UPDATE oidc_signing_keys SET retired_at = $1, publish_until = $2 WHERE retired_at IS NULL', [
    now, publishUntil,
  ]);
}

/** Active keys first (the first key of an algorithm signs), then retired ones still published at `now`. */
export async function findPublishedSigningKeys<Alg extends string>(db: Queryable, now: Date): Promise<KeyRow<Alg>[]> {
  const result = await db.query<KeyRow<Alg>>(
    `SELECT kid, alg, private_jwk FROM oidc_signing_keys WHERE publish_until IS NULL OR publish_until > $1
     ORDER BY retired_at IS NOT NULL, created_at DESC, alg`,
    [now],
  );
  return result.rows;
}
