// SP metadata for SPID (SPID.md items 1-10) and CIE (its own ContactPerson extensions),
// built from a template and signed over the whole EntityDescriptor (enveloped, RSA-SHA256).
import { createHash } from 'node:crypto';
import type { FederationConfig } from '../../config.ts';
import type { KeyPair } from './keys.ts';
import { acsIndex, attributeServiceIndex, requestedAttributes, type SpProfile } from './sp-profile.ts';
import { signXml } from './xml-signature.ts';
import { ns, xmlEscape as e } from './xml.ts';

const postBinding = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const redirectBinding = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

function organization(settings: FederationConfig): string {
  return `<md:Organization>
    <md:OrganizationName xml:lang="it">${e(settings.organizationName)}</md:OrganizationName>
    <md:OrganizationDisplayName xml:lang="it">${e(settings.organizationDisplayName)}</md:OrganizationDisplayName>
    <md:OrganizationURL xml:lang="it">${e(settings.organizationUrl)}</md:OrganizationURL>
  </md:Organization>`;
}

function spidContact(settings: FederationConfig): string {
  return `<md:ContactPerson contactType="other">
    <md:Extensions><spid:IPACode>${e(settings.ipaCode)}</spid:IPACode><spid:Public/></md:Extensions>
    <md:EmailAddress>${e(settings.contactEmail)}</md:EmailAddress>${settings.contactPhone ? `
    <md:TelephoneNumber>${e(settings.contactPhone)}</md:TelephoneNumber>` : ''}
  </md:ContactPerson>`;
}

function cieContact(settings: FederationConfig): string {
  return `<md:ContactPerson contactType="administrative">
    <md:Extensions>
      <cie:Public/><cie:IPACode>${e(settings.ipaCode)}</cie:IPACode>
      <cie:Municipality>${e(settings.municipality)}</cie:Municipality><cie:Province>${e(settings.province)}</cie:Province>
    </md:Extensions>
    <md:Company>${e(settings.organizationName)}</md:Company>
    <md:EmailAddress>${e(settings.contactEmail)}</md:EmailAddress>${settings.contactPhone ? `
    <md:TelephoneNumber>${e(settings.contactPhone)}</md:TelephoneNumber>` : ''}
  </md:ContactPerson>`;
}

/** A stable ID (metadata rarely changes), valid as xs:ID: it may not start with a digit. */
function metadataId(profile: SpProfile, key: KeyPair): string {
  return `_${createHash('sha256').update(profile.entityId).update(key.certBase64).digest('hex').slice(0, 40)}`;
}

export function buildSpMetadata(profile: SpProfile, settings: FederationConfig, key: KeyPair): string {
  const cie = profile.kind === 'cie';
  const extensionNs = cie ? `xmlns:cie="${ns.cie}"` : `xmlns:spid="${ns.spid}"`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="${ns.md}" xmlns:ds="${ns.ds}" ${extensionNs} entityID="${e(profile.entityId)}" ID="${metadataId(profile, key)}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="true" WantAssertionsSigned="true">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${key.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleLogoutService Binding="${cie ? redirectBinding : postBinding}" Location="${e(profile.sloUrl)}"/>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:AssertionConsumerService index="${acsIndex}" isDefault="true" Binding="${postBinding}" Location="${e(profile.acsUrl)}"/>
    <md:AttributeConsumingService index="${attributeServiceIndex}">
      <md:ServiceName xml:lang="it">${e(settings.organizationDisplayName)}</md:ServiceName>
      ${requestedAttributes.map((name) => `<md:RequestedAttribute Name="${name}"/>`).join('\n      ')}
    </md:AttributeConsumingService>
  </md:SPSSODescriptor>
  ${organization(settings)}
  ${cie ? cieContact(settings) : spidContact(settings)}
</md:EntityDescriptor>`;
  return signXml(xml, key, { localName: 'EntityDescriptor', afterIssuer: false, rootOnly: true });
}
