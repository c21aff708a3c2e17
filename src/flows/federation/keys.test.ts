// The SP key pair: from SAML_SP_KEY_FILE / SAML_SP_CERT_FILE, or in development an RSA-2048 pair
// generated once under DATA_DIR (key and certificate in one private file); production without
// files keeps SPID / CIE off.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { developmentKeyPair, generateKeyPair, loadSpKeyPair } from './keys.ts';

const subject = { commonName: 'Comune di Prova', organization: 'Comune di Prova', ipaCode: 'c_h501', entityId: 'https://varco.example.it' };

test('configured files are used as they are, and a malformed key stops the start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'varco-keys-'));
  const pair = generateKeyPair(subject);
  writeFileSync(join(dir, 'sp.key'), pair.keyPem);
  writeFileSync(join(dir, 'sp.crt'), pair.certPem);
  const loaded = await loadSpKeyPair({ env: 'production', dataDir: dir, spKeyFile: join(dir, 'sp.key'), spCertFile: join(dir, 'sp.crt'), subject });
  assert.equal(loaded?.certBase64, pair.certBase64);
  writeFileSync(join(dir, 'bad.key'), 'not a key');
  await assert.rejects(loadSpKeyPair({ env: 'production', dataDir: dir, spKeyFile: join(dir, 'bad.key'), spCertFile: join(dir, 'sp.crt'), subject }));
});

test('production without files: no key, federation off', async () => {
  assert.equal(await loadSpKeyPair({ env: 'production', dataDir: tmpdir(), spKeyFile: undefined, spCertFile: undefined, subject }), null);
});

test('development: an RSA >= 2048 pair generated once under DATA_DIR, private to its owner, the same on the next call', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'varco-keys-'));
  const first = await loadSpKeyPair({ env: 'development', dataDir: dir, spKeyFile: undefined, spCertFile: undefined, subject });
  assert.ok(first);
  const path = join(dir, 'saml', 'sp.pem');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.ok(readFileSync(path, 'utf8').includes(first.certPem.trim()));
  const again = await developmentKeyPair(dir, 'sp', subject);
  assert.equal(again.certBase64, first.certBase64);
  const cert = new X509Certificate(first.certPem);
  assert.ok((cert.publicKey.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048);
  assert.ok(new Date(cert.validTo) > new Date(), 'not expired');
});
