// SPID single logout messages (SAML 2.0 SLO, HTTP-POST binding), written from a template like
// the AuthnRequest: node-saml's LogoutRequest has no Issuer Format/NameQualifier, which SPID
// wants. Signed with the signature right after the Issuer, plain base64.
import type { KeyPair } from './keys.ts';
import { signXml } from './xml-signature.ts';
import { ns, samlInstant, xmlEscape as e } from './xml.ts';

const entity = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';
const transient = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
export const successStatus = 'urn:oasis:names:tc:SAML:2.0:status:Success';

const issuer = (entityId: string) => `<saml:Issuer Format="${entity}" NameQualifier="${e(entityId)}">${e(entityId)}</saml:Issuer>`;

export interface LogoutRequestInput {
  id: string;
  issueInstant: Date;
  destination: string; // the IdP's SingleLogoutService
  issuer: string; // the SP's entityID
  nameId: string;
  nameQualifier: string | null;
  sessionIndex: string | null;
}

export function buildLogoutRequest(key: KeyPair, input: LogoutRequestInput): string {
  const qualifier = input.nameQualifier ? ` NameQualifier="${e(input.nameQualifier)}"` : '';
  const xml = `<samlp:LogoutRequest xmlns:samlp="${ns.samlp}" xmlns:saml="${ns.saml}" ID="${e(input.id)}" Version="2.0" IssueInstant="${samlInstant(input.issueInstant)}" Destination="${e(input.destination)}">`
    + issuer(input.issuer)
    + `<saml:NameID Format="${transient}"${qualifier}>${e(input.nameId)}</saml:NameID>`
    + (input.sessionIndex ? `<samlp:SessionIndex>${e(input.sessionIndex)}</samlp:SessionIndex>` : '')
    + '</samlp:LogoutRequest>';
  return signXml(xml, key, { localName: 'LogoutRequest', afterIssuer: true, rootOnly: true });
}

export interface LogoutResponseInput {
  id: string;
  issueInstant: Date;
  destination: string;
  issuer: string;
  inResponseTo: string;
  status?: string;
}

export function buildLogoutResponse(key: KeyPair, input: LogoutResponseInput): string {
  const xml = `<samlp:LogoutResponse xmlns:samlp="${ns.samlp}" xmlns:saml="${ns.saml}" ID="${e(input.id)}" Version="2.0" IssueInstant="${samlInstant(input.issueInstant)}" Destination="${e(input.destination)}" InResponseTo="${e(input.inResponseTo)}">`
    + issuer(input.issuer)
    + `<samlp:Status><samlp:StatusCode Value="${e(input.status ?? successStatus)}"/></samlp:Status>`
    + '</samlp:LogoutResponse>';
  return signXml(xml, key, { localName: 'LogoutResponse', afterIssuer: true, rootOnly: true });
}
