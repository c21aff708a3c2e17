// Signing keys of the provider, kept in the database so that every instance signs and
// publishes the same keys. Generated at first start; rotate() puts new keys in front and
// retires the old ones, which stay in the JWKS until every ID token they signed has expired
// (a relying party that cached the JWKS keeps validating them).
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { Clock, Random } from '../../domain/clock.ts';
import { addSeconds } from '../../domain/clock.ts';
import type { Db, Queryable } from '../../store/db.ts';

export type SigningAlg = 'RS256' | 'ES256';
const algorithms: readonly SigningAlg[] = ['RS256', 'ES256'];
const keysLockKey = 727_100_011;

export interface SigningJwk extends JsonWebKey {
  kid: string;
  alg: SigningAlg;
  use: 'sig';
}

interface KeyRow {
  kid: string;
  alg: SigningAlg;
  private_jwk: JsonWebKey;
}

function newKey(alg: SigningAlg, random: Random): { kid: string; jwk: JsonWebKey } {
  const { privateKey } = alg === 'RS256'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid: random.bytes(16).toString('base64url'), jwk: privateKey.export({ format: 'jwk' }) };
}

async function insertKeys(tx: Queryable, deps: { clock: Clock; random: Random }): Promise<void> {
  for (const alg of algorithms) {
    const { kid, jwk } = newKey(alg, deps.random);
    await tx.query('INSERT INTO oidc_signing_keys (kid, alg, private_jwk, created_at) VALUES ($1, $2, $3, $4)', [
      kid, alg, JSON.stringify(jwk), deps.clock.now(),
    ]);
  }
}

/** At first start (under a lock, so that instances starting together agree on one set). */
export async function ensureSigningKeys(deps: { db: Db; clock: Clock; random: Random }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [keysLockKey]);
    const active = await tx.query('SELECT 1 FROM oidc_signing_keys WHERE retired_at IS NULL');
    if (active.rowCount === 0) await insertKeys(tx, deps);
  });
}

/**
 * New keys sign from now on; the previous ones are published for `publishSeconds` more (the
 * longest lifetime of a token they signed), and keys past that are deleted.
 */
export async function rotateSigningKeys(deps: { db: Db; clock: Clock; random: Random }, publishSeconds: number): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [keysLockKey]);
    await tx.query('DELETE FROM oidc_signing_keys WHERE publish_until IS NOT NULL AND publish_until <= $1', [now]);
    await tx.query('UPDATE oidc_signing_keys SET retired_at = $1, publish_until = $2 WHERE retired_at IS NULL', [
      now, addSeconds(now, publishSeconds),
    ]);
    await insertKeys(tx, deps);
  });
}

/** The provider's key set: active keys first (the first key of an algorithm signs), then retired ones still published. */
export async function loadSigningKeys(db: Queryable, clock: Clock): Promise<SigningJwk[]> {
  const result = await db.query<KeyRow>(
    `SELECT kid, alg, private_jwk FROM oidc_signing_keys WHERE publish_until IS NULL OR publish_until > $1
     ORDER BY retired_at IS NOT NULL, created_at DESC, alg`,
    [clock.now()],
  );
  return result.rows.map((row) => ({ ...row.private_jwk, kid: row.kid, alg: row.alg, use: 'sig' }));
}

/** A fingerprint of the key set, so that an instance notices another one rotated. */
export function keySetVersion(keys: readonly SigningJwk[]): string {
  return keys.map((key) => key.kid).join(',');
}
