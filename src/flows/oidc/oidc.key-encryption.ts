// The provider's private signing keys are stored encrypted (AES-256-GCM, node:crypto): a copy
// of the database alone cannot sign tokens for every service of the portal. The key comes
// from OIDC_KEY_ENCRYPTION_KEY (32 bytes, hex or base64) or OIDC_KEY_ENCRYPTION_KEY_FILE;
// production refuses to start without one (config.ts); development generates one once under
// DATA_DIR/oidc/, like the other development secrets. Each ciphertext is bound to its kid
// (additional authenticated data), so a row copied under another kid does not decrypt.
import { createCipheriv, createDecipheriv, createHash, randomBytes, type JsonWebKey } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.ts';
import { weakSecretReason } from '../../domain/secrets.ts';

/** What oidc_signing_keys.private_jwk holds: never the JWK itself. */
export interface SealedJwk {
  v: 1;
  alg: 'A256GCM';
  /** Which encryption key sealed it (a fingerprint, not the key): a wrong key is named, not guessed at. */
  kek: string;
  iv: string;
  ct: string;
  tag: string;
}

export interface SigningKeyCipher {
  seal(kid: string, jwk: JsonWebKey): SealedJwk;
  open(kid: string, sealed: SealedJwk): JsonWebKey;
}

export class KeyEncryptionError extends Error {}

export function isSealed(value: unknown): value is SealedJwk {
  return typeof value === 'object' && value !== null && (value as { alg?: unknown }).alg === 'A256GCM' && typeof (value as { ct?: unknown }).ct === 'string';
}

/** 32 bytes written as 64 hex digits or as base64 / base64url. */
export function parseEncryptionKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32 || (!/^[0-9a-f]{64}$/i.test(trimmed) && !/^[A-Za-z0-9+/_-]{43,44}={0,2}$/.test(trimmed))) {
    throw new KeyEncryptionError(`${origin} must be 32 bytes, as 64 hex digits or base64`);
  }
  return key;
}

const aad = (kid: string) => Buffer.from(`varco oidc signing key\n${kid}`, 'utf8');

export function cipherWithKey(key: Buffer): SigningKeyCipher {
  const kek = createHash('sha256').update(key).digest('base64url').slice(0, 16);
  return {
    seal(kid, jwk) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(kid));
      const ct = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
      return { v: 1, alg: 'A256GCM', kek, iv: iv.toString('base64url'), ct: ct.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
    },
    open(kid, sealed) {
      if (sealed.kek !== kek) throw new KeyEncryptionError(`signing key ${kid} was sealed with another OIDC_KEY_ENCRYPTION_KEY`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'));
        decipher.setAAD(aad(kid));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
        const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64url')), decipher.final()]);
        return JSON.parse(plain.toString('utf8')) as JsonWebKey;
      } catch {
        throw new KeyEncryptionError(`signing key ${kid} does not decrypt: altered, or moved from another kid`);
      }
    },
  };
}

/**
 * Development: one key in DATA_DIR/oidc/signing-keys.key, created exclusively (a hard link
 * cannot replace an existing file), so instances starting together end up with the same key.
 */
function developmentKey(dataDir: string): Buffer {
  const directory = join(dataDir, 'oidc');
  const path = join(directory, 'signing-keys.key');
  if (!existsSync(path)) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const temporary = `${path}.${randomBytes(8).toString('hex')}`;
    writeFileSync(temporary, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    try {
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
  }
  return parseEncryptionKey(readFileSync(path, 'utf8'), path);
}

/** The file is read here, not in config.ts, so its content is judged here (config.ts judges the variable). */
function strongInProduction(config: Pick<Config, 'env'>, text: string): string {
  const reason = config.env === 'production' ? weakSecretReason(text.trim()) : undefined;
  if (reason) throw new KeyEncryptionError(`OIDC_KEY_ENCRYPTION_KEY_FILE is too easy to guess: it ${reason}`);
  return text;
}

const cache = new Map<string, SigningKeyCipher>();

export function signingKeyCipher(config: Pick<Config, 'env' | 'dataDir' | 'oidcKeyEncryption'>): SigningKeyCipher {
  const { key, keyFile } = config.oidcKeyEncryption;
  const source = key ? `env:${createHash('sha256').update(key).digest('hex')}` : keyFile ? `file:${keyFile}` : `dev:${config.dataDir}`;
  let cipher = cache.get(source);
  if (!cipher) {
    if (key) cipher = cipherWithKey(parseEncryptionKey(key, 'OIDC_KEY_ENCRYPTION_KEY'));
    else if (keyFile) cipher = cipherWithKey(parseEncryptionKey(strongInProduction(config, readFileSync(keyFile, 'utf8')), 'OIDC_KEY_ENCRYPTION_KEY_FILE'));
    else if (config.env === 'production') throw new KeyEncryptionError('production needs OIDC_KEY_ENCRYPTION_KEY or OIDC_KEY_ENCRYPTION_KEY_FILE');
    else cipher = cipherWithKey(developmentKey(config.dataDir));
    cache.set(source, cipher);
  }
  return cipher;
}
