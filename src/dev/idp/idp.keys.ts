// Development only: the test IdP's identity — its own signing key (generated once under
// DATA_DIR, never the SP's), entityID and endpoints, and its signed metadata.
import type { Config } from '../../config.ts';
import type { IdentityProvider } from '../../flows/federation/idp-registry.ts';
import { developmentKeyPair, type KeyPair } from '../../flows/federation/keys.ts';
import { signXml } from '../../flows/federation/xml-signature.ts';
import { ns, xmlEscape as e } from '../../flows/federation/xml.ts';

/** A subject the test IdP vouched for, kept in memory for an IdP-initiated logout. */
export interface IssuedSubject {
  sessionIndex: string;
  sloUrl: string;
  spEntityId: string;
  at: Date;
}

export interface DevIdp {
  provider: IdentityProvider;
  key: KeyPair;
  metadata: string;
  subjects: Map<string, IssuedSubject>;
}

const postBinding = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

function idpMetadata(provider: IdentityProvider, key: KeyPair): string {
  const xml = `<md:EntityDescriptor xmlns:md="${ns.md}" xmlns:ds="${ns.ds}" entityID="${e(provider.entityId)}" ID="_varco_test_idp">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${key.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleLogoutService Binding="${postBinding}" Location="${e(provider.sloUrl ?? '')}"/>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:SingleSignOnService Binding="${postBinding}" Location="${e(provider.ssoUrl)}"/>
  </md:IDPSSODescriptor>
  <md:Organization><md:OrganizationName xml:lang="it">Varco</md:OrganizationName><md:OrganizationDisplayName xml:lang="it">${e(provider.name)}</md:OrganizationDisplayName><md:OrganizationURL xml:lang="it">${e(provider.entityId)}</md:OrganizationURL></md:Organization>
</md:EntityDescriptor>`;
  return signXml(xml, key, { localName: 'EntityDescriptor', afterIssuer: false, rootOnly: true });
}

export async function loadDevIdp(config: Pick<Config, 'publicUrl' | 'dataDir'>): Promise<DevIdp> {
  const base = `${config.publicUrl}/dev/idp`;
  const key = await developmentKeyPair(config.dataDir, 'dev-idp', { commonName: 'Varco test IdP', organization: 'Varco', ipaCode: 'varco', entityId: base });
  const provider: IdentityProvider = {
    entityId: base, name: 'Varco test IdP', logo: '/static/federation/spid-idp.svg',
    ssoUrl: `${base}/sso`, sloUrl: `${base}/slo`, certs: [key.certBase64],
  };
  return { provider, key, metadata: idpMetadata(provider, key), subjects: new Map() };
}
