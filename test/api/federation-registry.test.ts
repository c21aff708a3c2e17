// The IdP registry (issue 10 "Keys and IdPs"): SPID_IDP_METADATA / CIE_IDP_METADATA files or
// URLs are read at start and refreshed; signed metadata must verify (with the configured
// anchor when there is one) or the whole document is refused; accredited providers keep the
// names of the built-in list; the buttons list what the registry holds.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair, type KeyPair } from '../../src/flows/federation/keys.ts';
import { signXml } from '../../src/flows/federation/xml-signature.ts';
import { ns } from '../../src/flows/federation/xml.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const dir = mkdtempSync(join(tmpdir(), 'varco-idp-metadata-'));
let signer: KeyPair;
let stranger: KeyPair;

function idpMetadata(entityId: string, key: KeyPair, options: { sign?: KeyPair | null; name?: string } = {}): string {
  const xml = `<md:EntityDescriptor xmlns:md="${ns.md}" xmlns:ds="${ns.ds}" entityID="${entityId}" ID="_m${Math.random().toString(16).slice(2)}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${key.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${entityId}/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${entityId}/sso"/>
  </md:IDPSSODescriptor>
  <md:Organization><md:OrganizationName xml:lang="it">${options.name ?? 'IdP'}</md:OrganizationName><md:OrganizationDisplayName xml:lang="it">${options.name ?? 'IdP'}</md:OrganizationDisplayName><md:OrganizationURL xml:lang="it">${entityId}</md:OrganizationURL></md:Organization>
</md:EntityDescriptor>`;
  const by = options.sign === undefined ? key : options.sign;
  return by ? signXml(xml, by, { localName: 'EntityDescriptor', afterIssuer: false, rootOnly: true }) : xml;
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

before(() => {
  signer = generateKeyPair({ commonName: 'Registry', organization: 'AgID', ipaCode: 'agid', entityId: 'https://registry.example' });
  stranger = generateKeyPair({ commonName: 'Mallory', organization: 'Mallory', ipaCode: 'x', entityId: 'https://evil.example' });
});

describe('IdP metadata sources', () => {
  let t: TestApp;
  let server: Server;
  let served = '';
  const logLines: string[] = [];

  before(async () => {
    server = createServer((_request, response) => response.end(served));
    await new Promise<void>((resolve) => server.listen(4150, '127.0.0.1', resolve));
    served = idpMetadata('https://posteid.poste.it', signer, { name: 'Poste Italiane SpA' });
    const aruba = file('aruba.xml', idpMetadata('https://loginspid.aruba.it', signer, { name: 'ArubaPEC S.p.A.' }));
    const unsigned = file('unsigned.xml', idpMetadata('https://spid.register.it', signer, { sign: null, name: 'Register' }));
    const tampered = file('tampered.xml', idpMetadata('https://identity.sieltecloud.it', signer).replace('/sso"', '/evil-sso"'));
    const cie = file('cie.xml', idpMetadata('https://idserver.servizicie.interno.gov.it/idp/profile/SAML2/POST/SSO', signer, { name: 'Ministero' }));
    t = await startTestApp({
      SPID_IDP_METADATA: [aruba, unsigned, tampered, 'http://127.0.0.1:4150/metadata.xml', join(dir, 'missing.xml')].join(','),
      CIE_IDP_METADATA: cie,
    }, { logLines });
  });
  after(async () => {
    await t.close();
    await new Promise((resolve) => server.close(resolve));
  });

  test('files and URLs are read; accredited providers keep the built-in names; the sign-in page lists them, the test IdP too', async () => {
    const spid = t.app.federation?.registry.list('spid').map((p) => p.name) ?? [];
    assert.deepEqual([...spid].sort(), ['Aruba ID', 'PosteID', 'SpidItalia Register.it', 'Varco test IdP'].sort());
    const page = await t.app.inject({ url: '/signin' });
    for (const name of ['Aruba ID', 'PosteID', 'SpidItalia Register.it', 'Varco test IdP']) assert.ok(page.body.includes(`<span>${name}</span>`), name);
    assert.equal(t.app.federation?.registry.find('cie', 'https://idserver.servizicie.interno.gov.it/idp/profile/SAML2/POST/SSO')?.name, 'CIE ID');
  });

  test('signed metadata that does not verify is refused whole, and a missing source is logged, not fatal', () => {
    assert.equal(t.app.federation?.registry.find('spid', 'https://identity.sieltecloud.it'), null);
    assert.ok(logLines.some((line) => line.includes('tampered.xml')), 'the refusal is logged');
    assert.ok(logLines.some((line) => line.includes('missing.xml')));
  });

  test('a login to a registered IdP posts the AuthnRequest to the SSO location of its metadata', async () => {
    const login = await t.app.inject({ url: `/auth/spid/login?idp=${encodeURIComponent('https://loginspid.aruba.it')}&level=2` });
    assert.equal(login.statusCode, 200);
    assert.match(login.body, /<form method="post" action="https:\/\/loginspid\.aruba\.it\/sso"/);
    assert.equal((await t.app.inject({ url: `/auth/spid/login?idp=${encodeURIComponent('https://identity.sieltecloud.it')}&level=2` })).statusCode, 400);
  });

  test('URL sources are refreshed: a changed certificate replaces the old one, an unreachable source keeps the last good copy', async () => {
    const before = t.app.federation?.registry.find('spid', 'https://posteid.poste.it')?.certs;
    served = idpMetadata('https://posteid.poste.it', stranger, { name: 'Poste Italiane SpA' });
    await t.app.federation?.registry.refresh();
    const after = t.app.federation?.registry.find('spid', 'https://posteid.poste.it')?.certs;
    assert.notDeepEqual(after, before);
    assert.deepEqual(after, [stranger.certBase64]);
    served = 'not xml';
    await t.app.federation?.registry.refresh();
    assert.deepEqual(t.app.federation?.registry.find('spid', 'https://posteid.poste.it')?.certs, [stranger.certBase64]);
  });
});

describe('with SAML_METADATA_SIGNING_CERT_FILE', () => {
  test('only metadata signed by the anchor is trusted', async () => {
    const anchor = file('anchor.pem', signer.certPem);
    const good = file('good.xml', idpMetadata('https://loginspid.aruba.it', signer));
    const foreign = file('foreign.xml', idpMetadata('https://id.lepida.it/idp/shibboleth', stranger));
    const t = await startTestApp({ SPID_IDP_METADATA: `${good},${foreign}`, SAML_METADATA_SIGNING_CERT_FILE: anchor });
    try {
      assert.ok(t.app.federation?.registry.find('spid', 'https://loginspid.aruba.it'));
      assert.equal(t.app.federation?.registry.find('spid', 'https://id.lepida.it/idp/shibboleth'), null, 'self-signed by a stranger');
    } finally {
      await t.close();
    }
  });
});
