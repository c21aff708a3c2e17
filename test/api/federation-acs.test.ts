// SPID.md items 23-32: Responses crafted with the test IdP's key, one tampered field at a
// time. The valid one signs in (200, fresh session); every other ends in a 4xx page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DevIdp } from '../../src/dev/idp/idp.keys.ts';
import { assertionXml, responseXml, signedResponse, type ResponseFields } from '../../src/dev/idp/idp.response.ts';
import { generateKeyPair, type KeyPair } from '../../src/flows/federation/keys.ts';
import { signXml } from '../../src/flows/federation/xml-signature.ts';
import { adminToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { postResponse, startLogin, testIdp, validFields } from '../helpers/federation.ts';

let t: TestApp;
let idp: DevIdp;
let foreign: KeyPair;

interface Attempt {
  mutate?: (fields: ResponseFields) => void;
  sign?: { signAssertion?: boolean; signResponse?: boolean; key?: KeyPair };
  rewrite?: (xml: string) => string;
  level?: number;
  codiceFiscale?: string;
}

async function login(level = 2) {
  return startLogin(t.app, `/auth/spid/login?idp=${encodeURIComponent(idp.provider.entityId)}&level=${level}&next=/area`);
}

async function attempt(options: Attempt = {}) {
  const started = await login();
  const fields = validFields(t.deps.config, idp, started, t.clock.now(), { ...(options.level ? { level: options.level } : {}), ...(options.codiceFiscale ? { codiceFiscale: options.codiceFiscale } : {}) });
  options.mutate?.(fields);
  const xml = signedResponse(fields, options.sign?.key ?? idp.key, options.sign ?? {});
  const response = await postResponse(t.app, options.rewrite ? options.rewrite(xml) : xml, started.relayState);
  return { response, started, fields, xml };
}

async function expectRefused(options: Attempt, status = 403): Promise<Awaited<ReturnType<typeof postResponse>>> {
  const { response } = await attempt(options);
  assert.equal(response.statusCode, status, response.body.slice(0, 200));
  assert.equal(response.cookies.some((c) => c.name === 'varco_session'), false);
  assert.match(response.headers['content-type'] as string, /text\/html/);
  return response;
}

const assertionOf = (f: ResponseFields) => f.assertion as NonNullable<ResponseFields['assertion']>;
const later = (seconds: number) => new Date(t.clock.now().getTime() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

before(async () => {
  t = await startTestApp();
  idp = await testIdp(t.deps.config);
  foreign = generateKeyPair({ commonName: 'Mallory', organization: 'Mallory', ipaCode: 'x', entityId: 'https://evil.example' });
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/admin/accounts', headers: { authorization: `Bearer ${adminToken}` },
    payload: { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'Mario', lastName: 'Rossi', birthDate: '1985-12-10', temporaryPassword: 'Provvisoria-2026' } });
  assert.equal(created.statusCode, 201, created.body);
});
after(() => t.close());

describe('the valid Response', () => {
  test('200, a fresh session recording method, level and provider, and a page that continues to next', async () => {
    const { response } = await attempt();
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /href="\/area" data-autofollow/);
    const cookie = response.cookies.find((c) => c.name === 'varco_session');
    assert.ok(cookie);
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: `varco_session=${cookie.value}` } });
    assert.equal(me.statusCode, 200);
    assert.deepEqual(me.json().signedInWith, { method: 'spid', level: 2, provider: idp.provider.entityId });
    const activity = await t.app.inject({ url: '/api/v1/me/activity', headers: { cookie: `varco_session=${cookie.value}` } });
    assert.equal(activity.json().events[0].type, 'sign_in');
    const audit = await t.deps.db.query<{ details: Record<string, unknown> }>("SELECT details FROM audit_events WHERE type = 'sign_in' ORDER BY seq DESC LIMIT 1");
    assert.deepEqual(audit.rows[0]?.details, { method: 'spid', acr: 'https://www.spid.gov.it/SpidL2', provider: idp.provider.entityId });
  });

  test('25: a replay of an accepted Response is refused', async () => {
    const { started, xml, response } = await attempt();
    assert.equal(response.statusCode, 200);
    assert.equal((await postResponse(t.app, xml, started.relayState)).statusCode, 403);
  });

  test('an unknown codice fiscale gets the page on how to register, and no session', async () => {
    const { response } = await attempt({ codiceFiscale: 'VRDLGU80A01F205T' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /\/assistance/);
    assert.equal(response.cookies.some((c) => c.name === 'varco_session'), false);
  });

  test('a different name is flagged for operators, never written over the account', async () => {
    const { response } = await attempt({ mutate: (f) => { assertionOf(f).attributes.name = 'Marius'; } });
    assert.equal(response.statusCode, 200);
    const flagged = await t.deps.db.query<{ details: Record<string, unknown> }>("SELECT details FROM audit_events WHERE type = 'federated_identity_mismatch'");
    assert.equal(flagged.rows[0]?.details.fields, 'firstName');
    const account = await t.deps.db.query<{ first_name: string }>("SELECT first_name FROM accounts WHERE codice_fiscale = 'RSSMRA85T10A562S'");
    assert.equal(account.rows[0]?.first_name, 'Mario');
  });
});

describe('23: signature', () => {
  test('unsigned Response and Assertion', async () => { await expectRefused({ sign: { signAssertion: false, signResponse: false } }); });
  test('signed Response around an unsigned Assertion', async () => { await expectRefused({ sign: { signAssertion: false, signResponse: true } }); });
  test('signed by a foreign key that embeds its own certificate', async () => { await expectRefused({ sign: { key: foreign } }); });
  test('Assertion signed by a foreign key inside a Response signed by the IdP', async () => {
    const started = await login();
    const fields = validFields(t.deps.config, idp, started, t.clock.now());
    const evil = signXml(assertionXml(assertionOf(fields)), foreign, { localName: 'Assertion', afterIssuer: true, rootOnly: true });
    const xml = signXml(responseXml(fields, evil), idp.key, { localName: 'Response', afterIssuer: true, rootOnly: true });
    assert.equal((await postResponse(t.app, xml, started.relayState)).statusCode, 403);
  });
  test('content changed after signing is refused', async () => {
    await expectRefused({ rewrite: (xml) => xml.replace('TINIT-RSSMRA85T10A562S', 'TINIT-BNCGLI90C55H501W') });
    await expectRefused({ rewrite: (xml) => xml.replace('>Rossi<', '>Rosso<') });
  });
  test('a comment injected in a value cannot truncate it: the signed value is what is read', async () => {
    const { response } = await attempt({ rewrite: (xml) => xml.replace('TINIT-RSSMRA85T10A562S', 'TINIT-RSSMRA85T1<!---->0A562S') });
    assert.equal(response.statusCode, 200);
    const cookie = response.cookies.find((c) => c.name === 'varco_session');
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: `varco_session=${cookie?.value}` } });
    assert.equal(me.json().codiceFiscale, 'RSSMRA85T10A562S');
  });
  test('XSW: an evil Assertion beside the signed one (before or after)', async () => {
    const evil = (f: ResponseFields) => assertionXml({ ...assertionOf(f), id: '_evil', attributes: { ...assertionOf(f).attributes, fiscalNumber: 'TINIT-BNCGLI90C55H501W' } });
    let fields: ResponseFields | undefined;
    await expectRefused({ mutate: (f) => { fields = structuredClone(f); }, rewrite: (xml) => xml.replace('<saml:Assertion', `${evil(fields as ResponseFields)}<saml:Assertion`) });
    await expectRefused({ mutate: (f) => { fields = structuredClone(f); }, rewrite: (xml) => xml.replace('</samlp:Response>', `${evil(fields as ResponseFields)}</samlp:Response>`) });
  });
  test('XSW: the signed Assertion hidden inside an evil one with the same ID', async () => {
    let fields: ResponseFields | undefined;
    await expectRefused({
      mutate: (f) => { fields = structuredClone(f); },
      rewrite: (xml) => {
        const start = xml.indexOf('<saml:Assertion');
        const end = xml.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length;
        const signed = xml.slice(start, end);
        const a = assertionOf(fields as ResponseFields);
        const evil = assertionXml({ ...a, attributes: { ...a.attributes, fiscalNumber: 'TINIT-BNCGLI90C55H501W' } })
          .replace('<saml:Subject>', `<saml:Advice>${signed}</saml:Advice><saml:Subject>`);
        return xml.slice(0, start) + evil + xml.slice(end);
      },
    });
  });
  test('XSW: the signed Assertion moved into the Response Extensions, an evil one in its place', async () => {
    let fields: ResponseFields | undefined;
    await expectRefused({
      sign: { signResponse: false },
      mutate: (f) => { fields = structuredClone(f); },
      rewrite: (xml) => {
        const start = xml.indexOf('<saml:Assertion');
        const end = xml.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length;
        const a = assertionOf(fields as ResponseFields);
        const evil = assertionXml({ ...a, attributes: { ...a.attributes, fiscalNumber: 'TINIT-BNCGLI90C55H501W' } });
        return xml.slice(0, start).replace('</saml:Issuer>', `</saml:Issuer><samlp:Extensions>${xml.slice(start, end)}</samlp:Extensions>`) + evil + xml.slice(end);
      },
    });
  });
  test('XSW: the signature of the real Assertion copied onto an evil one with the same ID', async () => {
    let fields: ResponseFields | undefined;
    await expectRefused({
      sign: { signResponse: false },
      mutate: (f) => { fields = structuredClone(f); },
      rewrite: (xml) => {
        const signature = /<ds:Signature[\s\S]*?<\/ds:Signature>/.exec(xml)?.[0] ?? '';
        const a = assertionOf(fields as ResponseFields);
        const evil = assertionXml({ ...a, attributes: { ...a.attributes, fiscalNumber: 'TINIT-BNCGLI90C55H501W' } }).replace('</saml:Issuer>', `</saml:Issuer>${signature}`);
        const start = xml.indexOf('<saml:Assertion');
        const end = xml.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length;
        return xml.slice(0, start) + evil + xml.slice(end);
      },
    });
  });
  test('XSLT or any unexpected transform, and DTDs, are refused', async () => {
    await expectRefused({ rewrite: (xml) => xml.replace('http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/TR/1999/REC-xslt-19991116') });
    await expectRefused({ rewrite: (xml) => `<!DOCTYPE r [<!ENTITY x "y">]>${xml}` }, 400);
  });
  test('not base64, not XML: 400', async () => {
    const started = await login();
    const post = (value: string) => t.app.inject({ method: 'POST', url: '/auth/spid/acs', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ SAMLResponse: value, RelayState: started.relayState }).toString() });
    assert.equal((await post('%%%')).statusCode, 400);
    assert.equal((await post(Buffer.from('<nope').toString('base64'))).statusCode, 400);
    assert.equal((await t.app.inject({ method: 'POST', url: '/auth/spid/acs', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'RelayState=x' })).statusCode, 400);
  });
});

describe('24: ID, Version, IssueInstant', () => {
  test('Response: ID missing, Version not 2.0, IssueInstant missing, not UTC, before the request, in the future', async () => {
    await expectRefused({ rewrite: (xml) => xml.replace(/(<samlp:Response[^>]*?) ID="[^"]+"/, '$1') });
    await expectRefused({ mutate: (f) => { f.version = '1.0'; } });
    await expectRefused({ rewrite: (xml) => xml.replace(/(<samlp:Response[^>]*?) IssueInstant="[^"]+"/, '$1') });
    await expectRefused({ mutate: (f) => { f.issueInstant = '2026-11-24T10:00:00+01:00'; } });
    await expectRefused({ mutate: (f) => { f.issueInstant = later(-3600); } });
    await expectRefused({ mutate: (f) => { f.issueInstant = later(3600); } });
  });
  test('Assertion: Version not 2.0, IssueInstant not UTC, before the request, in the future', async () => {
    await expectRefused({ mutate: (f) => { assertionOf(f).version = '1.0'; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).issueInstant = '2026-11-24T09:00:00'; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).issueInstant = later(-3600); } });
    await expectRefused({ mutate: (f) => { assertionOf(f).issueInstant = later(3600); } });
  });
  test('milliseconds are accepted', async () => {
    const { response } = await attempt({ mutate: (f) => { f.issueInstant = later(0).replace('Z', '.000Z'); assertionOf(f).issueInstant = f.issueInstant; } });
    assert.equal(response.statusCode, 200);
  });
});

describe('25: InResponseTo', () => {
  test('missing (unsolicited), unknown, or different in SubjectConfirmationData', async () => {
    await expectRefused({ mutate: (f) => { f.inResponseTo = null; } });
    await expectRefused({ mutate: (f) => { f.inResponseTo = '_unknown'; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).subjectInResponseTo = '_unknown'; } });
  });
  test('an expired request is refused', async () => {
    const started = await login();
    const fields = validFields(t.deps.config, idp, started, t.clock.now());
    t.clock.advance(16 * 60);
    const response = await postResponse(t.app, signedResponse(fields, idp.key), started.relayState);
    assert.equal(response.statusCode, 403);
  });
  test('a RelayState of another flow is refused', async () => {
    const other = await login();
    const { response } = await attempt({ rewrite: (xml) => xml });
    assert.equal(response.statusCode, 200);
    const started = await login();
    const fields = validFields(t.deps.config, idp, started, t.clock.now());
    assert.equal((await postResponse(t.app, signedResponse(fields, idp.key), other.relayState)).statusCode, 403);
  });
});

describe('26: Destination and Recipient', () => {
  test('Response Destination or Recipient other than our ACS', async () => {
    await expectRefused({ mutate: (f) => { f.destination = 'https://evil.example/acs'; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).recipient = 'https://evil.example/acs'; } });
  });
});

describe('27: Status', () => {
  test('StatusCode missing', async () => { await expectRefused({ mutate: (f) => { f.statusCode = null; } }); });
  for (const code of ['nr19', 'nr20', 'nr21', 'nr22', 'nr23', 'nr25'] as const) {
    test(`ErrorCode ${code} shows the official anomaly message`, async () => {
      const response = await expectRefused({ mutate: (f) => {
        f.statusCode = 'urn:oasis:names:tc:SAML:2.0:status:Responder'; f.statusMessage = `ErrorCode ${code}`; f.assertion = null;
      } }, 401);
      const expected: Record<string, RegExp> = { nr19: /troppe volte/, nr20: /livello di sicurezza/, nr21: /tempo/, nr22: /consenso/, nr23: /sospesa o revocata/, nr25: /annullato/ };
      assert.match(response.body, expected[code] as RegExp);
    });
  }
});

describe('28: Issuers', () => {
  test('Response Issuer other than the IdP, or with a non-entity Format', async () => {
    await expectRefused({ mutate: (f) => { f.issuer = 'https://evil.example'; } });
    await expectRefused({ mutate: (f) => { f.issuerFormat = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient'; } });
  });
  test('Response Issuer without Format is accepted', async () => {
    assert.equal((await attempt({ mutate: (f) => { f.issuerFormat = null; } })).response.statusCode, 200);
  });
  test('Assertion Issuer other than the IdP, or without Format entity', async () => {
    await expectRefused({ mutate: (f) => { assertionOf(f).issuer = 'https://evil.example'; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).issuerFormat = null; } });
  });
});

describe('29: NameID and SubjectConfirmation', () => {
  test('NameID not transient, no NameQualifier, Method not bearer, NotOnOrAfter missing or past', async () => {
    await expectRefused({ mutate: (f) => { assertionOf(f).nameIdFormat = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).nameQualifier = null; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).method = 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key'; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).subjectNotOnOrAfter = null; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).subjectNotOnOrAfter = later(-120); } });
  });
});

describe('30: Conditions and Audience', () => {
  test('NotBefore or NotOnOrAfter missing, not yet valid, expired, foreign Audience', async () => {
    await expectRefused({ mutate: (f) => { assertionOf(f).notBefore = null; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).notOnOrAfter = null; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).notBefore = later(600); } });
    await expectRefused({ mutate: (f) => { assertionOf(f).notOnOrAfter = later(-120); } });
    await expectRefused({ mutate: (f) => { assertionOf(f).audience = 'https://evil.example'; } });
  });
  test('a small clock skew is tolerated', async () => {
    assert.equal((await attempt({ mutate: (f) => { assertionOf(f).notBefore = later(10); } })).response.statusCode, 200);
  });
});

describe('31: level', () => {
  test('lower than requested is refused, higher is accepted, a foreign class is refused', async () => {
    await expectRefused({ level: 1 });
    assert.equal((await attempt({ level: 3 })).response.statusCode, 200);
    await expectRefused({ mutate: (f) => { assertionOf(f).authnContext = 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password'; } });
  });
});

describe('32: attributes', () => {
  test('missing, unrequested, fiscalNumber without TINIT- or not a valid codice fiscale', async () => {
    await expectRefused({ mutate: (f) => { delete assertionOf(f).attributes.dateOfBirth; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).attributes.email = 'x@example.it'; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).attributes.fiscalNumber = 'RSSMRA85T10A562S'; } });
    await expectRefused({ mutate: (f) => { assertionOf(f).attributes.fiscalNumber = 'TINIT-RSSMRA85T10A562X'; } });
  });
});

describe('32: the account is found by fiscalNumber; an unknown one with FEDERATED_ACCOUNTS=create', () => {
  test('gets a federated-only account with the asserted names, no password, and is signed in (200)', async () => {
    const creating = await startTestApp({ FEDERATED_ACCOUNTS: 'create' });
    try {
      const started = await startLogin(creating.app, `/auth/spid/login?idp=${encodeURIComponent(idp.provider.entityId)}&level=2`);
      const fields = validFields(creating.deps.config, idp, started, creating.clock.now(), { codiceFiscale: 'VRDLGU80A01F205T' });
      assertionOf(fields).attributes.name = 'Luigi';
      assertionOf(fields).attributes.familyName = 'Verdi';
      assertionOf(fields).attributes.dateOfBirth = '1980-01-01';
      const response = await postResponse(creating.app, signedResponse(fields, idp.key), started.relayState);
      assert.equal(response.statusCode, 200, response.body.slice(0, 300));
      const cookie = response.cookies.find((c) => c.name === 'varco_session');
      assert.ok(cookie);
      const me = await creating.app.inject({ url: '/api/v1/me', headers: { cookie: `varco_session=${cookie.value}` } });
      assert.equal(me.json().codiceFiscale, 'VRDLGU80A01F205T');
      assert.equal(me.json().signedInWith.method, 'spid');
      const row = await creating.deps.db.query<{ first_name: string; last_name: string; password_hash: string | null; pin_state: string }>(
        "SELECT first_name, last_name, password_hash, pin_state FROM accounts WHERE codice_fiscale = 'VRDLGU80A01F205T'");
      assert.deepEqual(row.rows[0], { first_name: 'Luigi', last_name: 'Verdi', password_hash: null, pin_state: 'none' });
      const audit = await creating.deps.db.query("SELECT 1 FROM audit_events WHERE type = 'federated_account_created'");
      assert.equal(audit.rows.length, 1);
      // No local password: the password sign-in refuses it like any wrong secret.
      const local = await creating.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'VRDLGU80A01F205T', password: 'Qualsiasi-Cosa-2026' } });
      assert.equal(local.statusCode, 401);
    } finally {
      await creating.close();
    }
  });

  test('without it (the default) the same Response gets the page on how to register (200), no account and no session', async () => {
    const { response } = await attempt({ codiceFiscale: 'VRDLGU80A01F205T' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /non corrisponde ancora un’utenza/);
    assert.equal(response.cookies.some((c) => c.name === 'varco_session'), false);
    assert.equal((await t.deps.db.query("SELECT 1 FROM accounts WHERE codice_fiscale = 'VRDLGU80A01F205T'")).rows.length, 0);
  });
});
