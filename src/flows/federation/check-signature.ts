// SPID.md item 23: the Assertion must carry a signature of the IdP's registered key.
// Against signature wrapping (XSW 1-8): the document must hold exactly one Assertion, a
// direct child of the Response, whose own enveloped signature references its own ID; and
// every later check reads the canonical bytes the signature covers, never the document
// around them. A certificate inside the Response is never trusted.
import { malformed, refused } from './rejection.ts';
import { SignatureError, verifyElementSignature } from './xml-signature.ts';
import { children, descendants, ns, parseXml, XmlError } from './xml.ts';

export interface ParsedResponse {
  xml: string;
  response: Element;
}

export function parseResponse(samlResponse: string): ParsedResponse {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(samlResponse)) throw malformed('SAMLResponse is not base64');
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  let doc: Document;
  try {
    doc = parseXml(xml);
  } catch (error) {
    throw malformed(error instanceof XmlError ? error.message : 'unreadable XML');
  }
  const response = doc.documentElement as Element;
  if (response.namespaceURI !== ns.samlp || response.localName !== 'Response') throw malformed('not a samlp:Response');
  return { xml, response };
}

/** The Response's own signature, when it has one, must verify too. */
export function verifyResponseSignatureIfPresent(parsed: ParsedResponse, certs: readonly string[]): boolean {
  if (children(parsed.response, ns.ds, 'Signature').length === 0) return false;
  try {
    verifyElementSignature(parsed.xml, parsed.response, certs);
    return true;
  } catch (error) {
    throw refused(`response signature: ${(error as Error).message}`);
  }
}

/** The signed Assertion, re-read from exactly the bytes its signature covers. */
export function signedAssertion(parsed: ParsedResponse, certs: readonly string[]): Element {
  if (descendants(parsed.response, ns.saml, 'EncryptedAssertion').length > 0) throw refused('encrypted assertions are not expected');
  const all = descendants(parsed.response, ns.saml, 'Assertion');
  const direct = children(parsed.response, ns.saml, 'Assertion');
  if (all.length !== 1 || direct.length !== 1) throw refused(`expected one Assertion, found ${all.length}`);
  const assertion = direct[0] as Element;
  let signed: string;
  try {
    signed = verifyElementSignature(parsed.xml, assertion, certs);
  } catch (error) {
    throw refused(`assertion signature: ${error instanceof SignatureError ? error.message : 'invalid'}`);
  }
  const element = parseXml(signed).documentElement as Element;
  if (element.namespaceURI !== ns.saml || element.localName !== 'Assertion' || element.getAttribute('ID') !== assertion.getAttribute('ID')) {
    throw refused('the signature covers something other than the Assertion');
  }
  return element;
}
