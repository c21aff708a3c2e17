// The SP's signing key pair (SPID.md item 3-4). Production reads SAML_SP_KEY_FILE /
// SAML_SP_CERT_FILE; development generates an RSA-2048 pair once and keeps key and
// certificate in ONE file, so two processes starting together never pair a key with the
// other one's certificate (the file is written to a temporary name and renamed).
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface KeyPair {
  keyPem: string;
  certPem: string;
  /** The certificate's DER in base64, as it goes in ds:X509Certificate. */
  certBase64: string;
}

export interface CertificateSubject {
  commonName: string;
  organization: string;
  ipaCode: string;
  entityId: string;
}

const publicSectorPolicy = '1.3.76.16.4.2.1'; // AgID notice 29: SP of a public administration
const tenYearsMs = 10 * 365 * 24 * 3600 * 1000;

export function certBase64Of(certPem: string): string {
  return certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

export function pairFromPem(keyPem: string, certPem: string): KeyPair {
  createPrivateKey(keyPem); // throws on a malformed key: better at start than at the first sign-in
  new X509Certificate(certPem);
  return { keyPem, certPem, certBase64: certBase64Of(certPem) };
}

/** certificatePolicies with one policy OID, DER-encoded (forge has no builder for it). */
function policiesExtension(oid: string) {
  const { asn1 } = forge;
  const value = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
    ]),
  ]);
  return { id: '2.5.29.32', critical: false, value: asn1.toDer(value).getBytes() };
}

/** A self-signed certificate shaped like AgID notice 29 asks (organizationIdentifier, uri, policy). */
export function generateKeyPair(subject: CertificateSubject, now = new Date()): KeyPair {
  // The RSA key comes from node's crypto; forge only assembles and signs the certificate.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + tenYearsMs);
  const attributes = [
    { shortName: 'CN', value: subject.commonName }, { shortName: 'O', value: subject.organization },
    { type: '2.5.4.97', value: `PA:IT-${subject.ipaCode}` }, { type: '2.5.4.83', value: subject.entityId }, { shortName: 'C', value: 'IT' },
  ];
  cert.setSubject(attributes);
  cert.setIssuer(attributes);
  cert.setExtensions([
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
    policiesExtension(publicSectorPolicy),
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return pairFromPem(keyPem, forge.pki.certificateToPem(cert));
}

const generated = new Map<string, Promise<KeyPair>>();

function splitPem(pem: string): KeyPair {
  const key = pem.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/)?.[0];
  const cert = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  if (!key || !cert) throw new Error('development key file lacks a key or a certificate');
  return pairFromPem(`${key}\n`, `${cert}\n`);
}

/** Development: the pair kept in `<dataDir>/saml/<name>.pem`, generated the first time. */
export function developmentKeyPair(dataDir: string, name: string, subject: CertificateSubject): Promise<KeyPair> {
  const path = join(dataDir, 'saml', `${name}.pem`);
  let pending = generated.get(path);
  if (!pending) {
    pending = (async () => {
      if (existsSync(path)) return splitPem(readFileSync(path, 'utf8'));
      const pair = generateKeyPair(subject);
      mkdirSync(join(dataDir, 'saml'), { recursive: true, mode: 0o700 });
      const temporary = `${path}.${randomUUID()}`;
      writeFileSync(temporary, pair.keyPem + pair.certPem, { mode: 0o600 });
      renameSync(temporary, path);
      return pair;
    })();
    generated.set(path, pending);
  }
  return pending;
}

export interface SpKeySettings {
  env: 'development' | 'production';
  dataDir: string;
  spKeyFile: string | undefined;
  spCertFile: string | undefined;
  subject: CertificateSubject;
}

/** The SP pair, or null in production without configured files (federation then stays off). */
export async function loadSpKeyPair(settings: SpKeySettings): Promise<KeyPair | null> {
  if (settings.spKeyFile && settings.spCertFile) {
    return pairFromPem(readFileSync(settings.spKeyFile, 'utf8'), readFileSync(settings.spCertFile, 'utf8'));
  }
  if (settings.env === 'production') return null;
  return developmentKeyPair(settings.dataDir, 'sp', settings.subject);
}
