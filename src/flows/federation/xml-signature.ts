// XML signatures with xml-crypto 6: enveloped, RSA-SHA256, exclusive c14n (SPID.md item 3, 20,
// 23). Verification trusts only the certificates we were configured with, never one that
// travels inside the document (xml-crypto 6 ignores KeyInfo unless told otherwise; we say so
// explicitly), and hands back the canonical bytes that were actually signed.
import { SignedXml } from 'xml-crypto';
import type { KeyPair } from './keys.ts';
import { children, ns } from './xml.ts';

const rsaSha256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const sha256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const excC14n = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const enveloped = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const allowedTransforms = new Set([enveloped, excC14n]);
const allowedSignatureAlgorithms = new Set([rsaSha256, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512']);

export function toPem(certBase64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${certBase64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Signs the element `localName` (root or child of the root) carrying attribute ID; the
 * signature goes right after its Issuer when there is one, else first inside it.
 */
export function signXml(xml: string, key: KeyPair, target: { localName: string; afterIssuer: boolean; rootOnly?: boolean }): string {
  const signer = new SignedXml({ privateKey: key.keyPem, publicCert: key.certPem, signatureAlgorithm: rsaSha256, canonicalizationAlgorithm: excC14n });
  const xpath = target.rootOnly ? `/*[local-name()='${target.localName}']` : `//*[local-name()='${target.localName}']`;
  signer.addReference({ xpath, digestAlgorithm: sha256, transforms: [enveloped, excC14n] });
  const location = target.afterIssuer
    ? { reference: `${xpath}/*[local-name()='Issuer']`, action: 'after' as const }
    : { reference: xpath, action: 'prepend' as const };
  signer.computeSignature(xml, { prefix: 'ds', location });
  return signer.getSignedXml();
}

export class SignatureError extends Error {}

/** Refuses anything but the SPID profile: one reference to the parent's own ID, known algorithms. */
function checkSignatureShape(signature: Element, parentId: string): void {
  const signedInfo = children(signature, ns.ds, 'SignedInfo')[0];
  const method = signedInfo && children(signedInfo, ns.ds, 'SignatureMethod')[0]?.getAttribute('Algorithm');
  if (!method || !allowedSignatureAlgorithms.has(method)) throw new SignatureError('signature algorithm not allowed');
  const references = signedInfo ? children(signedInfo, ns.ds, 'Reference') : [];
  if (references.length !== 1 || references[0]?.getAttribute('URI') !== `#${parentId}`) {
    throw new SignatureError('the signature must reference its own element by ID');
  }
  const transformsEl = children(references[0] as Element, ns.ds, 'Transforms')[0];
  const transforms = transformsEl ? children(transformsEl, ns.ds, 'Transform') : [];
  // XSLT, XPath or any other transform could make the signed content differ from what we read.
  if (transforms.some((t) => !allowedTransforms.has(t.getAttribute('Algorithm') ?? ''))) throw new SignatureError('transform not allowed');
}

/**
 * Verifies the ds:Signature that is a direct child of `element` against one of `certs`
 * (base64 DER). Returns the canonical XML that the signature covers.
 */
export function verifyElementSignature(xml: string, element: Element, certs: readonly string[]): string {
  const signatures = children(element, ns.ds, 'Signature');
  if (signatures.length !== 1) throw new SignatureError(signatures.length === 0 ? 'unsigned' : 'more than one signature');
  const id = element.getAttribute('ID');
  if (!id) throw new SignatureError('signed element without ID');
  checkSignatureShape(signatures[0] as Element, id);
  for (const cert of certs) {
    const verifier = new SignedXml({ publicCert: toPem(cert), getCertFromKeyInfo: () => null });
    verifier.loadSignature(signatures[0] as Element);
    try {
      if (!verifier.checkSignature(xml)) continue;
    } catch {
      continue;
    }
    const signed = verifier.getSignedReferences();
    if (signed.length === 1 && signed[0]) return signed[0];
  }
  throw new SignatureError('signature does not verify with the registered certificate');
}
