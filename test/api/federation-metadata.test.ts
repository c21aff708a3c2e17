// SPID.md items 1-10 and the CIE metadata section, plus an independent signature check of
// the metadata with the certificate it publishes (what xmlsec1 --verify does).
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SignedXml } from 'xml-crypto';
import { children, descendants, ns, parseXml, text } from '../../src/flows/federation/xml.ts';
import { toPem } from '../../src/flows/federation/xml-signature.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const xmlLang = 'http://www.w3.org/XML/1998/namespace';
const spidAttributes = new Set(['spidCode', 'name', 'familyName', 'placeOfBirth', 'countyOfBirth', 'dateOfBirth', 'gender', 'companyName',
  'registeredOffice', 'fiscalNumber', 'ivaCode', 'idCard', 'mobilePhone', 'email', 'address', 'expirationDate', 'digitalAddress',
  'domicileStreetAddress', 'domicilePostalCode', 'domicileMunicipality', 'domicileProvince', 'domicileNation']);

let t: TestApp;
let spid: { body: string; type: string; root: Element };
let cie: { body: string; root: Element };

function only(parent: Element, namespace: string, name: string): Element {
  const found = children(parent, namespace, name);
  assert.equal(found.length, 1, `one ${name}`);
  return found[0] as Element;
}

/** Verifies the enveloped signature with the published certificate only (never KeyInfo). */
function verifiesWithPublishedCert(xml: string, root: Element): void {
  const signature = only(root, ns.ds, 'Signature');
  const cert = text(descendants(only(root, ns.md, 'SPSSODescriptor'), ns.ds, 'X509Certificate')[0] ?? null);
  const verifier = new SignedXml({ publicCert: toPem(cert), getCertFromKeyInfo: () => null });
  verifier.loadSignature(signature);
  assert.equal(verifier.checkSignature(xml), true);
  const reference = descendants(signature, ns.ds, 'Reference')[0] as Element;
  assert.equal(reference.getAttribute('URI'), `#${root.getAttribute('ID')}`, 'the signature covers the whole descriptor');
  assert.match(descendants(signature, ns.ds, 'SignatureMethod')[0]?.getAttribute('Algorithm') ?? '', /rsa-sha(256|384|512)$/);
  assert.match(descendants(signature, ns.ds, 'DigestMethod')[0]?.getAttribute('Algorithm') ?? '', /sha(256|384|512)$/);
  // Tampering breaks it.
  const tampered = xml.replace('AuthnRequestsSigned="true"', 'AuthnRequestsSigned="false"');
  const again = new SignedXml({ publicCert: toPem(cert), getCertFromKeyInfo: () => null });
  again.loadSignature(signature);
  let verified: boolean;
  try {
    verified = again.checkSignature(tampered);
  } catch {
    verified = false;
  }
  assert.equal(verified, false);
}

before(async () => {
  t = await startTestApp({ SP_CONTACT_PHONE: '+390612345678' });
  const s = await t.app.inject({ url: '/auth/spid/metadata' });
  assert.equal(s.statusCode, 200);
  spid = { body: s.body, type: String(s.headers['content-type']), root: parseXml(s.body).documentElement as Element };
  const c = await t.app.inject({ url: '/auth/cie/metadata' });
  assert.equal(c.statusCode, 200);
  cie = { body: c.body, root: parseXml(c.body).documentElement as Element };
});
after(() => t.close());

describe('SPID metadata (SPID.md 1-10)', () => {
  test('served as application/samlmetadata+xml', () => assert.match(spid.type, /^application\/samlmetadata\+xml/));

  test('1: one EntityDescriptor with entityID and one SAML 2.0 SPSSODescriptor', () => {
    assert.equal(spid.root.localName, 'EntityDescriptor');
    assert.equal(spid.root.getAttribute('entityID'), t.deps.config.federation.spidEntityId);
    const sp = only(spid.root, ns.md, 'SPSSODescriptor');
    assert.equal(sp.getAttribute('protocolSupportEnumeration'), 'urn:oasis:names:tc:SAML:2.0:protocol');
  });

  test('2: AuthnRequestsSigned and WantAssertionsSigned', () => {
    const sp = only(spid.root, ns.md, 'SPSSODescriptor');
    assert.equal(sp.getAttribute('AuthnRequestsSigned'), 'true');
    assert.equal(sp.getAttribute('WantAssertionsSigned'), 'true');
  });

  test('3: enveloped RSA-SHA256 signature over the whole descriptor, verifiable with the certificate', () => verifiesWithPublishedCert(spid.body, spid.root));

  test('4: signing KeyDescriptor with a valid RSA >= 2048 certificate shaped like notice 29', () => {
    const kd = only(only(spid.root, ns.md, 'SPSSODescriptor'), ns.md, 'KeyDescriptor');
    assert.equal(kd.getAttribute('use'), 'signing');
    const cert = new X509Certificate(toPem(text(descendants(kd, ns.ds, 'X509Certificate')[0] ?? null)));
    assert.ok(new Date(cert.validTo) > new Date() && new Date(cert.validFrom) < new Date());
    assert.ok((cert.publicKey.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048);
    assert.match(cert.subject, /organizationIdentifier=PA:IT-varco/);
    assert.match(cert.subject, new RegExp(`2\\.5\\.4\\.83=${t.deps.config.federation.spidEntityId.replace(/[.]/g, '\\.')}`));
  });

  test('5: one HTTP-POST AssertionConsumerService, index 0 and the only default', () => {
    const acs = children(only(spid.root, ns.md, 'SPSSODescriptor'), ns.md, 'AssertionConsumerService');
    assert.equal(acs[0]?.getAttribute('index'), '0');
    assert.equal(acs[0]?.getAttribute('isDefault'), 'true');
    assert.equal(acs[0]?.getAttribute('Binding'), 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    assert.equal(acs[0]?.getAttribute('Location'), `${t.deps.config.publicUrl}/auth/spid/acs`);
    assert.equal(acs.filter((a) => a.getAttribute('isDefault') === 'true').length, 1);
  });

  test('6: a SingleLogoutService with an http(s) Location', () => {
    const slo = children(only(spid.root, ns.md, 'SPSSODescriptor'), ns.md, 'SingleLogoutService');
    assert.ok(slo.length >= 1);
    assert.match(slo[0]?.getAttribute('Location') ?? '', /^https?:\/\//);
    assert.match(slo[0]?.getAttribute('Binding') ?? '', /HTTP-(POST|Redirect)$/);
  });

  test('7: NameIDFormat transient', () => {
    assert.equal(text(only(only(spid.root, ns.md, 'SPSSODescriptor'), ns.md, 'NameIDFormat')), 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
  });

  test('8: AttributeConsumingService with ServiceName in it and valid, distinct SPID attributes', () => {
    for (const service of children(only(spid.root, ns.md, 'SPSSODescriptor'), ns.md, 'AttributeConsumingService')) {
      assert.ok(Number(service.getAttribute('index')) >= 0);
      assert.equal(only(service, ns.md, 'ServiceName').getAttributeNS(xmlLang, 'lang'), 'it');
      const names = children(service, ns.md, 'RequestedAttribute').map((a) => a.getAttribute('Name') ?? '');
      assert.ok(names.length > 0 && names.every((n) => spidAttributes.has(n)));
      assert.equal(new Set(names).size, names.length);
    }
  });

  test('9: Organization with Name, DisplayName and URL, in the same languages including it', () => {
    const org = only(spid.root, ns.md, 'Organization');
    const langs = (name: string) => children(org, ns.md, name).map((n) => n.getAttributeNS(xmlLang, 'lang')).sort().join();
    assert.ok(langs('OrganizationName').includes('it'));
    assert.equal(langs('OrganizationName'), langs('OrganizationDisplayName'));
    assert.equal(langs('OrganizationName'), langs('OrganizationURL'));
  });

  test('10: ContactPerson other with spid:IPACode, empty spid:Public, email and +39 phone', () => {
    const contacts = children(spid.root, ns.md, 'ContactPerson');
    assert.equal(contacts.length, 1);
    const contact = contacts[0] as Element;
    assert.equal(contact.getAttribute('contactType'), 'other');
    const extensions = only(contact, ns.md, 'Extensions');
    assert.equal(text(only(extensions, ns.spid, 'IPACode')), 'varco');
    assert.equal(only(extensions, ns.spid, 'Public').childNodes.length, 0);
    assert.match(text(only(contact, ns.md, 'EmailAddress')), /^[^@\s]+@[^@\s]+\.[^@\s]+$/);
    assert.match(text(only(contact, ns.md, 'TelephoneNumber')), /^\+39\d+$/);
  });
});

describe('CIE metadata', () => {
  test('signed, its own entityID, Redirect SingleLogoutService, administrative contact with the cie extensions', () => {
    verifiesWithPublishedCert(cie.body, cie.root);
    assert.equal(cie.root.getAttribute('entityID'), t.deps.config.federation.cieEntityId);
    const sp = only(cie.root, ns.md, 'SPSSODescriptor');
    assert.match(only(sp, ns.md, 'SingleLogoutService').getAttribute('Binding') ?? '', /HTTP-Redirect$/);
    const contact = only(cie.root, ns.md, 'ContactPerson');
    assert.equal(contact.getAttribute('contactType'), 'administrative');
    const extensions = only(contact, ns.md, 'Extensions');
    for (const name of ['Public', 'IPACode', 'Municipality', 'Province']) only(extensions, ns.cie, name);
    const names = children(only(sp, ns.md, 'AttributeConsumingService'), ns.md, 'RequestedAttribute').map((a) => a.getAttribute('Name'));
    assert.deepEqual(names.sort(), ['dateOfBirth', 'familyName', 'fiscalNumber', 'name']);
  });
});

describe('test IdP metadata', () => {
  test('published in development at /dev/idp/metadata', async () => {
    const response = await t.app.inject({ url: '/dev/idp/metadata' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /IDPSSODescriptor/);
  });
});
