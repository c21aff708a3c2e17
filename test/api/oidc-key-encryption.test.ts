// The provider's private signing keys are encrypted at rest (AES-256-GCM with a key from
// configuration): the table holds no private key material, tokens still validate, a row
// moved under another kid or opened with another key is refused, keys stored in the clear by
// an earlier version are sealed at start, and production refuses to start without the key.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as jose from 'jose';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { cipherWithKey, KeyEncryptionError, parseEncryptionKey, signingKeyCipher } from '../../src/flows/oidc/oidc.key-encryption.ts';
import { ensureSigningKeys, loadSigningKeys } from '../../src/flows/oidc/oidc.keys.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { serveOidc } from '../helpers/oidc.ts';
import { productionEnv } from '../helpers/production.ts';

const key = 'a1'.repeat(32);

describe('OIDC signing keys at rest', () => {
  let t: TestApp;
  let base: string;
  before(async () => {
    t = await startTestApp({ OIDC_KEY_ENCRYPTION_KEY: key });
    base = await serveOidc(t);
  });
  after(() => t.close());

  test('the table holds sealed keys only, and the published JWKS still verifies what they sign', async () => {
    const jwks = await (await fetch(`${base}/oidc/jwks`)).json() as { keys: Record<string, unknown>[] };
    assert.ok(jwks.keys.length >= 2);
    for (const published of jwks.keys) assert.equal(published.d, undefined, 'no private part is published');
    const rows = await t.deps.db.query<{ kid: string; private_jwk: Record<string, unknown> }>('SELECT kid, private_jwk FROM oidc_signing_keys');
    assert.ok(rows.rows.length >= 2);
    for (const row of rows.rows) {
      assert.equal(row.private_jwk.alg, 'A256GCM');
      for (const part of ['d', 'p', 'q', 'kty', 'x', 'n']) assert.equal(row.private_jwk[part], undefined, `${row.kid} stores no ${part}`);
      const opened = cipherWithKey(parseEncryptionKey(key, 'test')).open(row.kid, row.private_jwk as never);
      assert.ok(opened.d, 'the sealed row is the private key');
    }
    // A key opened from the table signs; the published set verifies it.
    const [first] = await loadSigningKeys(t.deps);
    const signed = await new jose.SignJWT({ hello: 'world' }).setProtectedHeader({ alg: first!.alg, kid: first!.kid })
      .sign(await jose.importJWK(first as jose.JWK, first!.alg));
    const verified = await jose.jwtVerify(signed, jose.createLocalJWKSet(jwks as jose.JSONWebKeySet));
    assert.equal(verified.payload.hello, 'world');
  });

  test('a row moved under another kid, or opened with another key, is refused', async () => {
    const rows = await t.deps.db.query<{ kid: string; private_jwk: never }>('SELECT kid, private_jwk FROM oidc_signing_keys ORDER BY kid');
    const [a, b] = rows.rows;
    const cipher = cipherWithKey(parseEncryptionKey(key, 'test'));
    assert.throws(() => cipher.open(b!.kid, a!.private_jwk), KeyEncryptionError);
    assert.throws(() => cipherWithKey(parseEncryptionKey('b2'.repeat(32), 'test')).open(a!.kid, a!.private_jwk), /another OIDC_KEY_ENCRYPTION_KEY/);
  });

  test('keys stored in the clear by an earlier version are sealed at the next start', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await t.deps.db.query(`INSERT INTO oidc_signing_keys (kid, alg, private_jwk, created_at) VALUES ('legacy-kid', 'ES256', $1, $2)`,
      [JSON.stringify(privateKey.export({ format: 'jwk' })), t.clock.now()]);
    await ensureSigningKeys(t.deps);
    const row = await t.deps.db.query<{ private_jwk: Record<string, unknown> }>(`SELECT private_jwk FROM oidc_signing_keys WHERE kid = 'legacy-kid'`);
    assert.equal(row.rows[0]!.private_jwk.alg, 'A256GCM');
    assert.equal(row.rows[0]!.private_jwk.d, undefined);
    assert.ok((await loadSigningKeys(t.deps)).some((k) => k.kid === 'legacy-kid' && typeof k.d === 'string'));
  });
});

describe('the key encryption key', () => {
  test('production refuses to start without it; a malformed one is refused', () => {
    const { OIDC_KEY_ENCRYPTION_KEY: _unset, ...production } = productionEnv;
    assert.throws(() => loadConfig(production), (error: unknown) => error instanceof ConfigError && /OIDC_KEY_ENCRYPTION_KEY/.test(error.message));
    assert.doesNotThrow(() => loadConfig({ ...production, OIDC_KEY_ENCRYPTION_KEY_FILE: '/run/secrets/oidc-kek' }));
    assert.throws(() => parseEncryptionKey('too-short', 'X'), KeyEncryptionError);
    assert.equal(parseEncryptionKey(Buffer.alloc(32, 7).toString('base64'), 'X').length, 32);
  });

  test('production refuses a key file whose key is easy to guess, without quoting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'varco-oidc-kek-file-'));
    try {
      const weakFile = join(dir, 'weak');
      writeFileSync(weakFile, `${'c3'.repeat(32)}\n`);
      const config = { env: 'production' as const, dataDir: dir, oidcKeyEncryption: { key: undefined, keyFile: weakFile } };
      assert.throws(() => signingKeyCipher(config), (error: unknown) =>
        error instanceof KeyEncryptionError && /OIDC_KEY_ENCRYPTION_KEY_FILE is too easy to guess/.test(error.message) && !error.message.includes('c3c3'));
      const strongFile = join(dir, 'strong');
      writeFileSync(strongFile, `${randomBytes(32).toString('base64')}\n`);
      assert.doesNotThrow(() => signingKeyCipher({ ...config, oidcKeyEncryption: { key: undefined, keyFile: strongFile } }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('development generates one key under DATA_DIR once and keeps it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'varco-oidc-kek-'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(32) });
      const sealed = signingKeyCipher(config).seal('k1', { kty: 'oct', k: 'secret' });
      const file = readFileSync(join(dataDir, 'oidc', 'signing-keys.key'), 'utf8');
      assert.equal(parseEncryptionKey(file, 'file').length, 32);
      assert.deepEqual(cipherWithKey(parseEncryptionKey(file, 'file')).open('k1', sealed), { kty: 'oct', k: 'secret' });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
