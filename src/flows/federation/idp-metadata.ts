// Reading IdP metadata (a single EntityDescriptor or an EntitiesDescriptor such as AgID's
// registry). Signed metadata must verify — with the configured anchor when there is one —
// or the whole document is refused: a tampered list would let a stranger sign citizens in.
import { certBase64Of } from './keys.ts';
import { verifyElementSignature } from './xml-signature.ts';
import { child, children, descendants, ns, parseXml, text } from './xml.ts';

export interface IdentityProvider {
  entityId: string;
  name: string;
  logo: string | null;
  ssoUrl: string; // HTTP-POST SingleSignOnService
  sloUrl: string | null;
  certs: string[]; // base64 DER of the signing certificates
}

const postBinding = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

function locationFor(descriptor: Element, localName: string): string | null {
  const services = children(descriptor, ns.md, localName);
  const post = services.find((s) => s.getAttribute('Binding') === postBinding);
  return (post ?? services[0])?.getAttribute('Location') ?? null;
}

function signingCerts(descriptor: Element): string[] {
  return children(descriptor, ns.md, 'KeyDescriptor')
    .filter((kd) => (kd.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((kd) => descendants(kd, ns.ds, 'X509Certificate').map((c) => text(c).replace(/\s+/g, '')))
    .filter((c) => c !== '');
}

function displayName(entity: Element): string | null {
  const organization = child(entity, ns.md, 'Organization');
  if (!organization) return null;
  const names = children(organization, ns.md, 'OrganizationDisplayName');
  const italian = names.find((n) => n.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang') === 'it');
  return text(italian ?? names[0] ?? null) || null;
}

function providerOf(entity: Element): IdentityProvider | null {
  const descriptor = child(entity, ns.md, 'IDPSSODescriptor');
  const entityId = entity.getAttribute('entityID');
  if (!descriptor || !entityId) return null;
  const ssoUrl = locationFor(descriptor, 'SingleSignOnService');
  const certs = signingCerts(descriptor);
  if (!ssoUrl || !/^https?:\/\//.test(ssoUrl) || certs.length === 0) return null;
  return { entityId, name: displayName(entity) ?? entityId, logo: null, ssoUrl, sloUrl: locationFor(descriptor, 'SingleLogoutService'), certs };
}

/** The signing certificate inside the signature, for metadata with no configured anchor. */
function embeddedCert(root: Element): string[] {
  const signature = child(root, ns.ds, 'Signature');
  return signature ? descendants(signature, ns.ds, 'X509Certificate').map((c) => text(c).replace(/\s+/g, '')) : [];
}

export function parseIdpMetadata(xml: string, anchorPem?: string): IdentityProvider[] {
  const doc = parseXml(xml);
  const root = doc.documentElement as Element;
  if (child(root, ns.ds, 'Signature')) {
    // Without an anchor the check proves integrity only; the operator chose the source.
    verifyElementSignature(xml, root, anchorPem ? [certBase64Of(anchorPem)] : embeddedCert(root));
  }
  const entities = root.localName === 'EntityDescriptor' ? [root] : descendants(root, ns.md, 'EntityDescriptor');
  return entities.map(providerOf).filter((p): p is IdentityProvider => p !== null);
}
