// Signing keys of the provider, kept in the database so that every instance signs and
// publishes the same keys. Generated at first start; rotate() puts new keys in front and
// retires the old ones, which stay in the JWKS until every ID token they signed has expired
// (a relying party that cached the JWKS keeps validating them). Private keys are stored
// sealed with AES-256-GCM (oidc.key-encryption.ts) and opened only in memory.
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Clock, Random } from '../../domain/clock.ts';
import { addSeconds } from '../../domain/clock.ts';
import type { Db, Queryable } from '../../store/db.ts';
import { isSealed, KeyEncryptionError, signingKeyCipher, type SigningKeyCipher } from './oidc.key-encryption.ts';
import {
  deleteUnpublishedSigningKeys, findPublishedSigningKeys, findUnsealedSigningKeys, hasActiveSigningKeys, insertSigningKey, lockSigningKeys,
  replaceSigningKeyJwk, retireActiveSigningKeys,
} from './oidc-keys.repo.ts';

type KeyDeps = { db: Db; clock: Clock; random: Random; config: Pick<Config, 'env' | 'dataDir' | 'oidcKeyEncryption'> };

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

async function insertKeys(tx: Queryable, deps: { clock: Clock; random: Random }, cipher: SigningKeyCipher): Promise<void> {
  for (const alg of algorithms) {
    const { kid, jwk } = newKey(alg, deps.random);
    await insertSigningKey(tx, { kid, alg, sealed: cipher.seal(kid, jwk) }, deps.clock.now());
  }
}

/**
 * At first start (under a lock, so that instances starting together agree on one set); keys
 * stored in the clear by an earlier version are sealed in the same transaction.
 */
export async function ensureSigningKeys(deps: KeyDeps): Promise<void> {
  const cipher = signingKeyCipher(deps.config);
  await deps.db.transaction(async (tx) => {
    await lockSigningKeys(tx, keysLockKey);
    for (const row of await findUnsealedSigningKeys(tx)) await replaceSigningKeyJwk(tx, row.kid, cipher.seal(row.kid, row.private_jwk as JsonWebKey));
    if (!(await hasActiveSigningKeys(tx))) await insertKeys(tx, deps, cipher);
  });
}

/**
 * New keys sign from now on; the previous ones are published for `publishSeconds` more (the
 * longest lifetime of a token they signed), and keys past that are deleted.
 */
export async function rotateSigningKeys(deps: KeyDeps, publishSeconds: number): Promise<void> {
  const now = deps.clock.now();
  const cipher = signingKeyCipher(deps.config);
  await deps.db.transaction(async (tx) => {
    await lockSigningKeys(tx, keysLockKey);
    await deleteUnpublishedSigningKeys(tx, now);
    await retireActiveSigningKeys(tx, now, addSeconds(now, publishSeconds));
    await insertKeys(tx, deps, cipher);
  });
}

/** The provider's key set, opened: active keys first (the first key of an algorithm signs), then retired ones still published. */
export async function loadSigningKeys(deps: Pick<KeyDeps, 'db' | 'clock' | 'config'>): Promise<SigningJwk[]> {
  const cipher = signingKeyCipher(deps.config);
  const rows = await findPublishedSigningKeys<SigningAlg>(deps.db, deps.clock.now());
  return rows.map((row) => {
    if (!isSealed(row.private_jwk)) throw new KeyEncryptionError(`signing key ${row.kid} is not sealed`);
    return { ...cipher.open(row.kid, row.private_jwk), kid: row.kid, alg: row.alg, use: 'sig' };
  });
}

/** The kids of the published keys, without opening them (the periodic "did another instance rotate?" check). */
export async function publishedKids(db: Queryable, clock: Clock): Promise<string> {
  return (await findPublishedSigningKeys(db, clock.now())).map((row) => row.kid).join(',');
}

/** A fingerprint of the key set, so that an instance notices another one rotated. */
export function keySetVersion(keys: readonly SigningJwk[]): string {
  return keys.map((key) => key.kid).join(',');
}
