// Signing keys of the provider, kept in the database so that every instance signs and
// publishes the same keys. Generated at first start; rotate() puts new keys in front and
// retires the old ones, which stay in the JWKS until every ID token they signed has expired
// (a relying party that cached the JWKS keeps validating them).
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { Clock, Random } from '../../domain/clock.ts';
import { addSeconds } from '../../domain/clock.ts';
import type { Db, Queryable } from '../../store/db.ts';
import {
  deleteUnpublishedSigningKeys, findPublishedSigningKeys, hasActiveSigningKeys, insertSigningKey, lockSigningKeys,
  retireActiveSigningKeys,
} from './oidc-keys.repo.ts';

export type SigningAlg = 'RS256' | 'ES256';
const algorithms: readonly SigningAlg[] = ['RS256', 'ES256'];
const keysLockKey = 727_100_011;

export interface SigningJwk extends JsonWebKey {
  kid: string;
  alg: SigningAlg;
  use: 'sig';
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
    await insertSigningKey(tx, { kid, alg, jwk }, deps.clock.now());
  }
}

/** At first start (under a lock, so that instances starting together agree on one set). */
export async function ensureSigningKeys(deps: { db: Db; clock: Clock; random: Random }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await lockSigningKeys(tx, keysLockKey);
    if (!(await hasActiveSigningKeys(tx))) await insertKeys(tx, deps);
  });
}

/**
 * New keys sign from now on; the previous ones are published for `publishSeconds` more (the
 * longest lifetime of a token they signed), and keys past that are deleted.
 */
export async function rotateSigningKeys(deps: { db: Db; clock: Clock; random: Random }, publishSeconds: number): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await lockSigningKeys(tx, keysLockKey);
    await deleteUnpublishedSigningKeys(tx, now);
    await retireActiveSigningKeys(tx, now, addSeconds(now, publishSeconds));
    await insertKeys(tx, deps);
  });
}

/** The provider's key set: active keys first (the first key of an algorithm signs), then retired ones still published. */
export async function loadSigningKeys(db: Queryable, clock: Clock): Promise<SigningJwk[]> {
  const rows = await findPublishedSigningKeys<SigningAlg>(db, clock.now());
  return rows.map((row) => ({ ...row.private_jwk, kid: row.kid, alg: row.alg, use: 'sig' }));
}

/** A fingerprint of the key set, so that an instance notices another one rotated. */
export function keySetVersion(keys: readonly SigningJwk[]): string {
  return keys.map((key) => key.kid).join(',');
}
