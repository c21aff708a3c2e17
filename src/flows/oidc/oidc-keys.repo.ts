// oidc_signing_keys: the provider's signing keys, shared by every instance. private_jwk
// holds the key sealed with AES-256-GCM (oidc.key-encryption.ts); rows written before that
// held the plain JWK and are sealed at the next start.
import type { Queryable } from '../../store/db.ts';

export interface KeyRow<Alg extends string = string> {
  kid: string;
  alg: Alg;
  /** A SealedJwk; a plain JWK only in rows from before encryption at rest. */
  private_jwk: unknown;
}

/** Serialises key creation and rotation across instances (inside a transaction). */
export async function lockSigningKeys(tx: Queryable, lockKey: number): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
}

export async function hasActiveSigningKeys(tx: Queryable): Promise<boolean> {
  const active = await tx.query('SELECT 1 FROM oidc_signing_keys WHERE retired_at IS NULL');
  return active.rowCount !== 0;
}

export async function insertSigningKey(tx: Queryable, key: { kid: string; alg: string; sealed: object }, now: Date): Promise<void> {
  await tx.query('INSERT INTO oidc_signing_keys (kid, alg, private_jwk, created_at) VALUES ($1, $2, $3, $4)', [
    key.kid, key.alg, JSON.stringify(key.sealed), now,
  ]);
}

/** Rows still holding a plain JWK (written before encryption at rest). */
export async function findUnsealedSigningKeys(tx: Queryable): Promise<KeyRow[]> {
  const result = await tx.query<KeyRow>(`SELECT kid, alg, private_jwk FROM oidc_signing_keys WHERE private_jwk ? 'kty'`);
  return result.rows;
}

export async function replaceSigningKeyJwk(tx: Queryable, kid: string, sealed: object): Promise<void> {
  await tx.query('UPDATE oidc_signing_keys SET private_jwk = $2 WHERE kid = $1', [kid, JSON.stringify(sealed)]);
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
