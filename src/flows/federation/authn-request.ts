// The SPID AuthnRequest (SPID.md items 11-22), written from a template — node-saml's
// request carries AllowCreate and an Issuer without Format/NameQualifier — and signed with
// the signature right after the Issuer. HTTP-POST: plain base64, never deflated (item 20).
import type { KeyPair } from './keys.ts';
import { acsIndex, attributeServiceIndex, levelUri, type SpidLevel, type SpProfile } from './sp-profile.ts';
import { signXml } from './xml-signature.ts';
import { ns, samlInstant, xmlEscape as e } from './xml.ts';

export interface AuthnRequestInput {
  id: string; // "_" + random hex: an xs:ID
  issueInstant: Date;
  destination: string; // the IdP's SSO location (item 12)
  level: SpidLevel;
}

export function buildAuthnRequest(profile: SpProfile, key: KeyPair, input: AuthnRequestInput): string {
  const forceAuthn = input.level >= 2 ? ' ForceAuthn="true"' : ''; // item 14
  const xml = `<samlp:AuthnRequest xmlns:samlp="${ns.samlp}" xmlns:saml="${ns.saml}" ID="${e(input.id)}" Version="2.0" IssueInstant="${samlInstant(input.issueInstant)}" Destination="${e(input.destination)}"${forceAuthn} AssertionConsumerServiceIndex="${acsIndex}" AttributeConsumingServiceIndex="${attributeServiceIndex}">
  <saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity" NameQualifier="${e(profile.entityId)}">${e(profile.entityId)}</saml:Issuer>
  <samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient"/>
  <samlp:RequestedAuthnContext Comparison="minimum">
    <saml:AuthnContextClassRef>${levelUri(input.level)}</saml:AuthnContextClassRef>
  </samlp:RequestedAuthnContext>
</samlp:AuthnRequest>`;
  return signXml(xml, key, { localName: 'AuthnRequest', afterIssuer: true, rootOnly: true });
}

export function encodeForPost(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}
