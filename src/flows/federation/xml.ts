// Safe XML parsing and the few DOM helpers the SPID layer needs. Parsing refuses DTDs
// (entity expansion, XXE) and any parser warning, so a half-read document is never checked.
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';

export const ns = {
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  spid: 'https://spid.gov.it/saml-extensions',
  cie: 'https://www.cartaidentita.interno.gov.it/saml-extensions',
} as const;

export class XmlError extends Error {}

export function parseXml(text: string): Document {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlError('DTDs are not accepted');
  const problems: string[] = [];
  const doc = new DOMParser({
    locator: {},
    errorHandler: {
      warning: (message: string) => problems.push(`warning: ${message}`),
      error: (message: string) => problems.push(`error: ${message}`),
      fatalError: (message: string) => problems.push(`fatal: ${message}`),
    },
  }).parseFromString(text, 'application/xml');
  if (problems.length > 0 || !doc.documentElement) throw new XmlError(`malformed XML: ${problems[0] ?? 'no root'}`);
  return doc as unknown as Document;
}

export function serialise(node: Node): string {
  return new XMLSerializer().serializeToString(node as never);
}

/** Direct children with this namespace and local name. */
export function children(parent: Element | Document, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === namespace && (node as Element).localName === localName) {
      found.push(node as Element);
    }
  }
  return found;
}

export function child(parent: Element | Document, namespace: string, localName: string): Element | null {
  return children(parent, namespace, localName)[0] ?? null;
}

/** Every descendant with this namespace and local name, anywhere below. */
export function descendants(root: Element | Document, namespace: string, localName: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(namespace, localName) as unknown as ArrayLike<Element>);
}

export function text(element: Element | null): string {
  return element?.textContent?.trim() ?? '';
}

/** Escapes text for an attribute or element value in an XML template. */
export function xmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** SAML times: UTC only ("Z"), milliseconds optional (item 24). */
export function parseSamlInstant(value: string | null): Date | null {
  if (!value || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/.test(value)) return null;
  const date = new Date(value.replace(/(\.\d{3})\d+Z$/, '$1Z'));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** An instant as SAML writes it, without milliseconds. */
export function samlInstant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
