// SAML single logout for SPID at the SingleLogoutService the metadata advertises (SPID.md
// item 6), with the test IdP: "Esci" posts a signed LogoutRequest naming the sign-in's subject
// and the IdP's LogoutResponse is accepted once; an IdP-initiated LogoutRequest ends the
// subject's sessions and is answered with a signed LogoutResponse. CIE logs out locally.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DevIdp } from '../../src/dev/idp/idp.keys.ts';
import { newSamlId } from '../../src/dev/idp/idp.response.ts';
import { generateKeyPair, type KeyPair } from '../../src/flows/federation/keys.ts';
import { buildLogoutRequest, buildLogoutResponse } from '../../src/flows/federation/logout-messages.ts';
import { verifyElementSignature } from '../../src/flows/federation/xml-signature.ts';
import { child, ns, parseXml, text } from '../../src/flows/federation/xml.ts';
import { adminToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { form, hiddenField, testIdp, throughTestIdp } from '../helpers/federation.ts';

let t: TestApp;
let idp: DevIdp;
let foreign: KeyPair;
const cf = 'RSSMRA85T10A562S';
const password = 'Provvisoria-2026';

before(async () => {
  t = await startTestApp();
  idp = await testIdp(t.deps.config);
  foreign = generateKeyPair({ commonName: 'Mallory', organization: 'Mallory', ipaCode: 'x', entityId: 'https://evil.example' });
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/admin/accounts', headers: { authorization: `Bearer ${adminToken}` },
    payload: { codiceFiscale: cf, firstName: 'Mario', lastName: 'Rossi', birthDate: '1985-12-10', temporaryPassword: password } });
  assert.equal(created.statusCode, 201);
});
after(() => t.close());

const spSlo = () => `${t.deps.config.publicUrl}/auth/spid/slo`;
const isSignedIn = async (cookie: string) => (await t.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode === 200;
const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
const postSlo = (fields: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: '/auth/spid/slo', headers: form, payload: new URLSearchParams(fields).toString() });

async function signOut(cookie: string) {
  const area = await t.app.inject({ url: '/area/password', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(area.body)?.[1] ?? '';
  const cookies = [cookie, ...area.cookies.filter((c) => c.name !== 'varco_session').map((c) => `${c.name}=${c.value}`)].join('; ');
  return t.app.inject({ method: 'POST', url: '/signout', headers: { ...form, cookie: cookies }, payload: new URLSearchParams({ _csrf: csrf }).toString() });
}

async function spidSession(kind: 'spid' | 'cie' = 'spid') {
  const signedIn = await throughTestIdp(t.app, t.deps.config, { kind });
  assert.ok(signedIn.cookie);
  const subject = await t.deps.db.query<{ saml_name_id: string; saml_session_index: string }>(
    'SELECT saml_name_id, saml_session_index FROM login_flows WHERE id = $1', [signedIn.login.relayState]);
  return { cookie: signedIn.cookie, flowId: signedIn.login.relayState, nameId: subject.rows[0]?.saml_name_id ?? '', sessionIndex: subject.rows[0]?.saml_session_index ?? '' };
}

/** "Esci" from a SPID session: the page posting our LogoutRequest to the IdP. */
async function spInitiated() {
  const session = await spidSession();
  const page = await signOut(session.cookie);
  assert.equal(page.statusCode, 200, page.body.slice(0, 300));
  const samlRequest = hiddenField(page.body, 'SAMLRequest');
  const xml = Buffer.from(samlRequest, 'base64').toString('utf8');
  return { session, page, samlRequest, xml, root: parseXml(xml).documentElement as Element };
}

function idpLogoutResponse(inResponseTo: string, overrides: { key?: KeyPair; destination?: string; status?: string } = {}) {
  return buildLogoutResponse(overrides.key ?? idp.key, {
    id: newSamlId(), issueInstant: t.clock.now(), destination: overrides.destination ?? spSlo(), issuer: idp.provider.entityId, inResponseTo,
    ...(overrides.status ? { status: overrides.status } : {}),
  });
}

function idpLogoutRequest(subject: { nameId: string; sessionIndex: string }, overrides: { key?: KeyPair; destination?: string } = {}) {
  return buildLogoutRequest(overrides.key ?? idp.key, {
    id: newSamlId(), issueInstant: t.clock.now(), destination: overrides.destination ?? spSlo(), issuer: idp.provider.entityId,
    nameId: subject.nameId, nameQualifier: idp.provider.entityId, sessionIndex: subject.sessionIndex,
  });
}

describe('6: SP-initiated single logout', () => {
  test('Esci ends the local session and posts a signed LogoutRequest naming the subject to the IdP SingleLogoutService', async () => {
    const metadata = (await t.app.inject({ url: '/auth/spid/metadata' })).body;
    assert.match(metadata, new RegExp(`<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${spSlo()}"/>`), 'the advertised endpoint');
    const { session, page, xml, root } = await spInitiated();
    assert.equal(await isSignedIn(session.cookie), false, 'the local session ended first');
    assert.match(page.body, new RegExp(`<form method="post" action="${idp.provider.sloUrl}"`));
    assert.match(page.body, /<button type="submit"/, 'works without JavaScript');
    assert.equal(root.localName, 'LogoutRequest');
    assert.equal(root.getAttribute('Destination'), idp.provider.sloUrl);
    assert.equal(root.getAttribute('Version'), '2.0');
    const issuer = child(root, ns.saml, 'Issuer');
    assert.equal(issuer?.getAttribute('NameQualifier'), t.deps.config.federation.spidEntityId);
    assert.equal(issuer?.getAttribute('Format'), 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity');
    assert.equal(text(child(root, ns.saml, 'NameID')), session.nameId);
    assert.equal(text(child(root, ns.samlp, 'SessionIndex')), session.sessionIndex);
    const spCert = (await t.app.inject({ url: '/auth/spid/metadata' })).body.match(/<ds:X509Certificate>([^<]+)</)?.[1] ?? '';
    verifyElementSignature(xml, root, [spCert]);
    assert.equal(child(root, ns.ds, 'Signature')?.previousSibling, issuer, 'signature right after the Issuer');
  });

  test('the test IdP answers it with a signed LogoutResponse the SP accepts once (200, then a replay 403)', async () => {
    const { samlRequest } = await spInitiated();
    const atIdp = await t.app.inject({ method: 'POST', url: '/dev/idp/slo', headers: form, payload: new URLSearchParams({ SAMLRequest: samlRequest, RelayState: 'r' }).toString() });
    assert.equal(atIdp.statusCode, 200);
    assert.match(atIdp.body, new RegExp(`action="${spSlo()}"`));
    const response = hiddenField(atIdp.body, 'SAMLResponse');
    const accepted = await postSlo({ SAMLResponse: response, RelayState: 'r' });
    assert.equal(accepted.statusCode, 200);
    assert.match(accepted.body, /Sei uscito dal servizio e dal tuo gestore SPID/);
    assert.equal((await postSlo({ SAMLResponse: response })).statusCode, 403, 'replay');
  });

  test('a LogoutResponse that is unsolicited, foreign-signed, unsigned, to another Destination or not Success is refused with 4xx', async () => {
    const { root } = await spInitiated();
    const id = root.getAttribute('ID') ?? '';
    assert.equal((await postSlo({ SAMLResponse: b64(idpLogoutResponse('_unknown')) })).statusCode, 403);
    assert.equal((await postSlo({ SAMLResponse: b64(idpLogoutResponse(id, { key: foreign })) })).statusCode, 403);
    const unsigned = idpLogoutResponse(id).replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    assert.equal((await postSlo({ SAMLResponse: b64(unsigned) })).statusCode, 403);
    assert.equal((await postSlo({ SAMLResponse: b64(idpLogoutResponse(id, { destination: 'https://evil.example/slo' })) })).statusCode, 403);
    assert.equal((await postSlo({ SAMLResponse: b64(idpLogoutResponse(id, { status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' })) })).statusCode, 403);
    assert.equal((await postSlo({ SAMLResponse: 'not base64!' })).statusCode, 400);
    assert.equal((await postSlo({ SAMLResponse: b64('<!DOCTYPE x><x/>') })).statusCode, 400);
    assert.equal((await postSlo({})).statusCode, 400);
    // Still pending after all of that: the genuine answer is accepted.
    assert.equal((await postSlo({ SAMLResponse: b64(idpLogoutResponse(id)) })).statusCode, 200);
  });
});

describe('6: IdP-initiated single logout', () => {
  test('a LogoutRequest signed by the IdP ends that subject\'s sessions only, and is answered with a signed LogoutResponse', async () => {
    const session = await spidSession();
    const other = await spidSession();
    const local = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } });
    const localCookie = `varco_session=${local.cookies.find((c) => c.name === 'varco_session')?.value}`;
    const xmlRequest = idpLogoutRequest(session);
    const answered = await postSlo({ SAMLRequest: b64(xmlRequest), RelayState: 'idp-state' });
    assert.equal(answered.statusCode, 200, answered.body.slice(0, 300));
    assert.equal(await isSignedIn(session.cookie), false);
    assert.equal(await isSignedIn(other.cookie), true, 'another SPID sign-in of the same citizen is another subject');
    assert.equal(await isSignedIn(localCookie), true);
    assert.match(answered.body, new RegExp(`<form method="post" action="${idp.provider.sloUrl}"`));
    assert.equal(hiddenField(answered.body, 'RelayState'), 'idp-state');
    const responseXml = Buffer.from(hiddenField(answered.body, 'SAMLResponse'), 'base64').toString('utf8');
    const root = parseXml(responseXml).documentElement as Element;
    assert.equal(root.localName, 'LogoutResponse');
    assert.equal(root.getAttribute('InResponseTo'), (parseXml(xmlRequest).documentElement as Element).getAttribute('ID'));
    assert.equal(child(child(root, ns.samlp, 'Status') as Element, ns.samlp, 'StatusCode')?.getAttribute('Value'), 'urn:oasis:names:tc:SAML:2.0:status:Success');
    verifyElementSignature(responseXml, root, [t.deps.config && (await t.app.inject({ url: '/auth/spid/metadata' })).body.match(/<ds:X509Certificate>([^<]+)</)?.[1] || '']);
    const audit = await t.deps.db.query<{ actor: string }>("SELECT actor FROM audit_events WHERE type = 'sign_out' ORDER BY seq DESC LIMIT 1");
    assert.equal(audit.rows[0]?.actor, `idp:${idp.provider.entityId}`);
  });

  test('a foreign-signed, unsigned or misaddressed LogoutRequest ends nothing: 403', async () => {
    const session = await spidSession();
    assert.equal((await postSlo({ SAMLRequest: b64(idpLogoutRequest(session, { key: foreign })) })).statusCode, 403);
    assert.equal((await postSlo({ SAMLRequest: b64(idpLogoutRequest(session).replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')) })).statusCode, 403);
    assert.equal((await postSlo({ SAMLRequest: b64(idpLogoutRequest(session, { destination: 'https://evil.example/slo' })) })).statusCode, 403);
    assert.equal(await isSignedIn(session.cookie), true);
  });

  test('the test IdP starts one from /dev/idp/logout for a subject it vouched for', async () => {
    const session = await spidSession();
    const chooser = await t.app.inject({ url: '/dev/idp/logout' });
    assert.equal(chooser.statusCode, 200);
    assert.ok(chooser.body.includes(session.nameId));
    const handover = await t.app.inject({ method: 'POST', url: '/dev/idp/logout', headers: form, payload: new URLSearchParams({ nameId: session.nameId }).toString() });
    assert.equal(handover.statusCode, 200);
    const atSp = await postSlo({ SAMLRequest: hiddenField(handover.body, 'SAMLRequest') });
    assert.equal(atSp.statusCode, 200);
    assert.equal(await isSignedIn(session.cookie), false);
    const back = await t.app.inject({ method: 'POST', url: '/dev/idp/slo', headers: form, payload: new URLSearchParams({ SAMLResponse: hiddenField(atSp.body, 'SAMLResponse') }).toString() });
    assert.equal(back.statusCode, 200);
  });
});

describe('CIE logs out locally', () => {
  test('Esci from a CIE session ends it here and goes to the sign-in page, with no message to the IdP', async () => {
    const session = await spidSession('cie');
    const out = await signOut(session.cookie);
    assert.deepEqual([out.statusCode, out.headers.location], [303, '/signin?signedOut=1']);
    assert.equal(await isSignedIn(session.cookie), false);
    assert.equal((await t.app.inject({ url: '/auth/cie/slo' })).statusCode, 200, 'the Redirect SingleLogoutService of the CIE metadata answers');
  });

  test('a password session signs out as before', async () => {
    const local = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } });
    const cookie = `varco_session=${local.cookies.find((c) => c.name === 'varco_session')?.value}`;
    const out = await signOut(cookie);
    assert.equal(out.statusCode, 303);
  });
});
