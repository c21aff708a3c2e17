// Development only: SAML Responses as a SPID IdP writes them. Every field is a parameter so
// the ACS test suite can craft each tampered variant from the same template.
import { randomBytes } from 'node:crypto';
import type { KeyPair } from '../../flows/federation/keys.ts';
import { signXml } from '../../flows/federation/xml-signature.ts';
import { ns, samlInstant, xmlEscape as e } from '../../flows/federation/xml.ts';

export interface AssertionFields {
  id: string;
  version: string;
  issueInstant: string;
  issuer: string;
  issuerFormat: string | null;
  nameId: string;
  nameIdFormat: string;
  nameQualifier: string | null;
  method: string;
  recipient: string;
  subjectInResponseTo: string;
  subjectNotOnOrAfter: string | null;
  notBefore: string | null;
  notOnOrAfter: string | null;
  audience: string;
  authnContext: string;
  attributes: Record<string, string>;
}

export interface ResponseFields {
  id: string;
  version: string;
  issueInstant: string;
  inResponseTo: string | null;
  destination: string;
  issuer: string;
  issuerFormat: string | null;
  statusCode: string | null;
  statusMessage: string | null;
  assertion: AssertionFields | null;
}

const attr = (name: string, value: string | null) => (value === null ? '' : ` ${name}="${e(value)}"`);

export const newSamlId = () => `_${randomBytes(16).toString('hex')}`;

export function defaultResponseFields(input: {
  idpEntityId: string; requestId: string; acsUrl: string; spEntityId: string; level: number; now: Date;
  attributes: Record<string, string>;
}): ResponseFields {
  const now = samlInstant(input.now);
  const later = samlInstant(new Date(input.now.getTime() + 5 * 60 * 1000));
  const entity = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';
  return {
    id: newSamlId(), version: '2.0', issueInstant: now, inResponseTo: input.requestId, destination: input.acsUrl,
    issuer: input.idpEntityId, issuerFormat: entity, statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success', statusMessage: null,
    assertion: {
      id: newSamlId(), version: '2.0', issueInstant: now, issuer: input.idpEntityId, issuerFormat: entity,
      nameId: newSamlId(), nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient', nameQualifier: input.idpEntityId,
      method: 'urn:oasis:names:tc:SAML:2.0:cm:bearer', recipient: input.acsUrl, subjectInResponseTo: input.requestId,
      subjectNotOnOrAfter: later, notBefore: now, notOnOrAfter: later, audience: input.spEntityId,
      authnContext: `https://www.spid.gov.it/SpidL${input.level}`, attributes: input.attributes,
    },
  };
}

export function assertionXml(a: AssertionFields): string {
  const attributes = Object.entries(a.attributes).map(([name, value]) =>
    `<saml:Attribute Name="${e(name)}"><saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${e(value)}</saml:AttributeValue></saml:Attribute>`).join('');
  return `<saml:Assertion xmlns:saml="${ns.saml}" ID="${e(a.id)}" Version="${e(a.version)}" IssueInstant="${e(a.issueInstant)}">`
    + `<saml:Issuer${attr('Format', a.issuerFormat)}>${e(a.issuer)}</saml:Issuer>`
    + `<saml:Subject><saml:NameID Format="${e(a.nameIdFormat)}"${attr('NameQualifier', a.nameQualifier)}>${e(a.nameId)}</saml:NameID>`
    + `<saml:SubjectConfirmation Method="${e(a.method)}"><saml:SubjectConfirmationData InResponseTo="${e(a.subjectInResponseTo)}"${attr('NotOnOrAfter', a.subjectNotOnOrAfter)} Recipient="${e(a.recipient)}"/></saml:SubjectConfirmation></saml:Subject>`
    + `<saml:Conditions${attr('NotBefore', a.notBefore)}${attr('NotOnOrAfter', a.notOnOrAfter)}><saml:AudienceRestriction><saml:Audience>${e(a.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
    + `<saml:AuthnStatement AuthnInstant="${e(a.issueInstant)}" SessionIndex="${e(a.id)}"><saml:AuthnContext><saml:AuthnContextClassRef>${e(a.authnContext)}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
    + `<saml:AttributeStatement>${attributes}</saml:AttributeStatement></saml:Assertion>`;
}

/** The Response; `assertion` is the (already signed, or deliberately not) Assertion XML. */
export function responseXml(r: ResponseFields, assertion: string | null): string {
  const status = r.statusCode === null ? '' : `<samlp:Status><samlp:StatusCode Value="${e(r.statusCode)}"/>${r.statusMessage ? `<samlp:StatusMessage>${e(r.statusMessage)}</samlp:StatusMessage>` : ''}</samlp:Status>`;
  return `<samlp:Response xmlns:samlp="${ns.samlp}" xmlns:saml="${ns.saml}" ID="${e(r.id)}" Version="${e(r.version)}" IssueInstant="${e(r.issueInstant)}"${attr('InResponseTo', r.inResponseTo)} Destination="${e(r.destination)}">`
    + `<saml:Issuer${attr('Format', r.issuerFormat)}>${e(r.issuer)}</saml:Issuer>${status}${assertion ?? ''}</samlp:Response>`;
}

/** Signs the Assertion, then the Response around it, as the SPID IdPs do. */
export function signedResponse(fields: ResponseFields, key: KeyPair, options: { signAssertion?: boolean; signResponse?: boolean } = {}): string {
  const assertion = fields.assertion
    ? (options.signAssertion ?? true)
      ? signXml(assertionXml(fields.assertion), key, { localName: 'Assertion', afterIssuer: true, rootOnly: true })
      : assertionXml(fields.assertion)
    : null;
  const xml = responseXml(fields, assertion);
  return (options.signResponse ?? true) ? signXml(xml, key, { localName: 'Response', afterIssuer: true, rootOnly: true }) : xml;
}
