// SPID.md items 11-22: the AuthnRequest Varco emits, parsed back and checked one by one;
// the login_flows row behind the opaque RelayState; the page that hands it over.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyElementSignature } from '../../src/flows/federation/xml-signature.ts';
import { child, children, ns, text } from '../../src/flows/federation/xml.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startLogin, type StartedLogin } from '../helpers/federation.ts';

let t: TestApp;
let idp: string;
let l1: StartedLogin;
let l2: StartedLogin;
let l3: StartedLogin;

before(async () => {
  t = await startTestApp();
  idp = `${t.deps.config.publicUrl}/dev/idp`;
  const path = (level: number) => `/auth/spid/login?idp=${encodeURIComponent(idp)}&level=${level}&next=/area/password`;
  l1 = await startLogin(t.app, path(1));
  l2 = await startLogin(t.app, path(2));
  l3 = await startLogin(t.app, path(3));
});
after(() => t.close());

describe('AuthnRequest (SPID.md 11-22)', () => {
  test('11: ID, Version 2.0, UTC IssueInstant', () => {
    assert.match(l2.request.getAttribute('ID') ?? '', /^_[0-9a-f]{40}$/);
    assert.notEqual(l1.request.getAttribute('ID'), l2.request.getAttribute('ID'));
    assert.equal(l2.request.getAttribute('Version'), '2.0');
    assert.equal(l2.request.getAttribute('IssueInstant'), t.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });

  test('12: Destination is the IdP SSO location, where the form posts', () => {
    assert.equal(l2.request.getAttribute('Destination'), `${idp}/sso`);
    assert.equal(l2.action, `${idp}/sso`);
  });

  test('13: no IsPassive', () => assert.equal(l2.request.hasAttribute('IsPassive'), false));

  test('14: ForceAuthn for SpidL2 and SpidL3 only', () => {
    assert.equal(l1.request.hasAttribute('ForceAuthn'), false);
    assert.equal(l2.request.getAttribute('ForceAuthn'), 'true');
    assert.equal(l3.request.getAttribute('ForceAuthn'), 'true');
  });

  test('15 and 16: ACS and AttributeConsumingService indexes matching the metadata', () => {
    assert.equal(l2.request.getAttribute('AssertionConsumerServiceIndex'), '0');
    assert.equal(l2.request.hasAttribute('AssertionConsumerServiceURL'), false);
    assert.equal(l2.request.getAttribute('AttributeConsumingServiceIndex'), '0');
  });

  test('17: Issuer with Format entity and NameQualifier = entityID', () => {
    const issuer = child(l2.request, ns.saml, 'Issuer') as Element;
    const entityId = t.deps.config.federation.spidEntityId;
    assert.equal(text(issuer), entityId);
    assert.equal(issuer.getAttribute('Format'), 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity');
    assert.equal(issuer.getAttribute('NameQualifier'), entityId);
  });

  test('18: NameIDPolicy transient without AllowCreate', () => {
    const policy = child(l2.request, ns.samlp, 'NameIDPolicy') as Element;
    assert.equal(policy.getAttribute('Format'), 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
    assert.equal(policy.hasAttribute('AllowCreate'), false);
  });

  test('19: one RequestedAuthnContext with one SPID AuthnContextClassRef per level', () => {
    for (const [login, level] of [[l1, 1], [l2, 2], [l3, 3]] as const) {
      const contexts = children(login.request, ns.samlp, 'RequestedAuthnContext');
      assert.equal(contexts.length, 1);
      assert.ok(['exact', 'minimum', 'better', 'maximum'].includes(contexts[0]?.getAttribute('Comparison') ?? ''));
      const refs = children(contexts[0] as Element, ns.saml, 'AuthnContextClassRef');
      assert.deepEqual(refs.map(text), [`https://www.spid.gov.it/SpidL${level}`]);
    }
  });

  test('20: signature embedded right after the Issuer, plain base64 (no deflate), verifying with the SP certificate', () => {
    const second = l2.request.firstChild && [...Array.from(l2.request.childNodes as unknown as ArrayLike<Node>)].filter((n) => n.nodeType === 1)[1] as Element;
    assert.equal(second?.localName, 'Signature');
    assert.equal(second?.namespaceURI, ns.ds);
    assert.match(l2.xml, /^<samlp:AuthnRequest/);
    const sp = t.app.federation?.key.certBase64 ?? '';
    assert.doesNotThrow(() => verifyElementSignature(l2.xml, l2.request, [sp]));
    assert.throws(() => verifyElementSignature(l2.xml.replace('SpidL2', 'SpidL1'), l2.request, [sp]));
  });

  test('21: RelayState present and opaque, never a URL; it names the stored flow', async () => {
    assert.match(l2.relayState, /^[0-9a-f-]{36}$/);
    assert.doesNotMatch(l2.relayState, /[/:]/);
    const row = await t.deps.db.query<{ return_to: string; requested_acr: string; saml_request_id: string; method: string; saml_idp: string }>(
      'SELECT * FROM login_flows WHERE id = $1', [l2.relayState]);
    assert.equal(row.rows[0]?.saml_request_id, l2.request.getAttribute('ID'));
    assert.equal(row.rows[0]?.return_to, '/area/password');
    assert.equal(row.rows[0]?.requested_acr, 'https://www.spid.gov.it/SpidL2');
    assert.equal(row.rows[0]?.method, 'spid');
    assert.equal(row.rows[0]?.saml_idp, idp);
  });

  test('22: no Scoping and no RequesterID', () => {
    assert.equal(children(l2.request, ns.samlp, 'Scoping').length, 0);
    assert.doesNotMatch(l2.xml, /RequesterID/);
  });
});

describe('the login page', () => {
  test('is a 200 POST form with a visible button and an external auto-submit script the CSP allows', () => {
    assert.match(l2.page.body, /<form method="post" action="[^"]+" data-autosubmit>/);
    assert.match(l2.page.body, /<button type="submit"/);
    assert.match(l2.page.body, /<script src="\/static\/federation\/autosubmit.js" defer><\/script>/);
    assert.doesNotMatch(l2.page.body, /<script>(?!<\/script>)/);
    const csp = String(l2.page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, new RegExp(`form-action 'self' ${new URL(idp).origin.replace(/[.]/g, '\\.')}`));
  });

  test('a foreign next is dropped (S27); recovery forces SpidL2 and lands on the password page', async () => {
    for (const next of ['https://evil.example', '//evil.example', '/\\evil.example', '/%2F%2Fevil.example']) {
      const login = await startLogin(t.app, `/auth/spid/login?idp=${encodeURIComponent(idp)}&next=${encodeURIComponent(next)}`);
      const row = await t.deps.db.query<{ return_to: string | null }>('SELECT return_to FROM login_flows WHERE id = $1', [login.relayState]);
      assert.equal(row.rows[0]?.return_to, null, next);
    }
    const recovery = await startLogin(t.app, `/auth/spid/login?idp=${encodeURIComponent(idp)}&level=1&purpose=recovery`);
    assert.match(recovery.xml, /SpidL2/);
    const row = await t.deps.db.query<{ return_to: string }>('SELECT return_to FROM login_flows WHERE id = $1', [recovery.relayState]);
    assert.equal(row.rows[0]?.return_to, '/area/password');
  });

  test('an unknown IdP or level gets a 400 page', async () => {
    assert.equal((await t.app.inject({ url: '/auth/spid/login?idp=https%3A%2F%2Fevil.example&level=2' })).statusCode, 400);
    assert.equal((await t.app.inject({ url: `/auth/spid/login?idp=${encodeURIComponent(idp)}&level=4` })).statusCode, 400);
  });

  test('CIE: SpidL3 with ForceAuthn, its own entityID as Issuer', async () => {
    const login = await startLogin(t.app, '/auth/cie/login?next=/area');
    assert.equal(login.request.getAttribute('ForceAuthn'), 'true');
    assert.match(login.xml, /SpidL3/);
    assert.equal(text(child(login.request, ns.saml, 'Issuer')), t.deps.config.federation.cieEntityId);
  });
});
