// Recovery through SPID/CIE (S13, API.md "Federation"), the buttons on the sign-in and
// recovery pages, and the test IdP's outcomes with the official SPID anomaly codes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { form, startLogin, throughTestIdp } from '../helpers/federation.ts';
import { productionEnv } from '../helpers/production.ts';
import { devIdpMessages } from '../../src/dev/idp/idp.messages.ts';
import { outcomes } from '../../src/dev/idp/idp.identities.ts';
import { federationMessages } from '../../src/flows/federation/federation.messages.ts';

let t: TestApp;
const cf = 'RSSMRA85T10A562S';
const newPassword = 'Nuova-Strada!Verso-Sud9';

async function wrongPasswords(times: number) {
  let last = 0;
  for (let i = 0; i < times; i += 1) {
    last = (await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password: 'Sbagliata-0000' } })).statusCode;
  }
  return last;
}

before(async () => {
  t = await startTestApp();
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/admin/accounts', headers: { authorization: `Bearer ${adminToken}` },
    payload: { codiceFiscale: cf, firstName: 'Mario', lastName: 'Rossi', birthDate: '1985-12-10', email: 'mario@example.it', temporaryPassword: 'Provvisoria-2026' } });
  assert.equal(created.statusCode, 201);
});
after(() => t.close());

describe('recovery through SPID and CIE', () => {
  test('a locked citizen signs in with SPID level 2 and sets a new password without the current one; the lock is lifted', async () => {
    await wrongPasswords(5);
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password: 'Provvisoria-2026' } });
    assert.equal(locked.statusCode, 423);
    const { acs, cookie } = await throughTestIdp(t.app, t.deps.config, { purpose: 'recovery' });
    assert.equal(acs.statusCode, 200);
    assert.match(acs.body, /href="\/area\/password" data-autofollow/);
    const page = await t.app.inject({ url: '/area/password', headers: { cookie: cookie ?? '' } });
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /name="currentPassword"/);
    const changed = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: cookie ?? '' }, payload: { newPassword } });
    assert.equal(changed.statusCode, 204, changed.body);
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password: newPassword } });
    assert.equal(signIn.statusCode, 200);
  });

  test('SpidL1 is not enough, and the ten minutes run out', async () => {
    const l1 = await throughTestIdp(t.app, t.deps.config, { level: 1 });
    assert.equal(l1.acs.statusCode, 200);
    const page = await t.app.inject({ url: '/area/password', headers: { cookie: l1.cookie ?? '' } });
    assert.match(page.body, /name="currentPassword"/);
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: l1.cookie ?? '' }, payload: { newPassword: 'Altra-Strada!Verso-Est3' } });
    assert.equal(refused.statusCode, 401);
    const l2 = await throughTestIdp(t.app, t.deps.config, { level: 2 });
    t.clock.advance(10 * 60 + 1);
    const late = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: l2.cookie ?? '' }, payload: { newPassword: 'Altra-Strada!Verso-Est3' } });
    assert.equal(late.statusCode, 401);
  });

  test('CIE works the same way and is shown as such', async () => {
    const { acs, cookie } = await throughTestIdp(t.app, t.deps.config, { kind: 'cie', purpose: 'recovery' });
    assert.equal(acs.statusCode, 200);
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: cookie ?? '' } });
    assert.deepEqual(me.json().signedInWith, { method: 'cie', provider: `${t.deps.config.publicUrl}/dev/idp` });
    const changed = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: cookie ?? '' }, payload: { newPassword: 'Terza-Strada!Verso-Ovest4' } });
    assert.equal(changed.statusCode, 204);
  });

  test('after a password sign-in, signedInWith says password', async () => {
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password: 'Terza-Strada!Verso-Ovest4' } });
    const cookie = signIn.cookies.find((c) => c.name === 'varco_session');
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: `varco_session=${cookie?.value}` } });
    assert.deepEqual(me.json().signedInWith, { method: 'password' });
  });
});

describe('the buttons', () => {
  test('the sign-in page offers SPID (test IdP listed, links to the login) and CIE, keeping a relative next only', async () => {
    const page = await t.app.inject({ url: '/signin?next=/area/pin/change' });
    assert.match(page.body, /<summary class="btn btn-primary w-100">Entra con SPID<\/summary>/);
    assert.match(page.body, /Entra con CIE/);
    assert.match(page.body, /Varco test IdP/);
    assert.match(page.body, /href="\/auth\/spid\/login\?idp=[^"]*dev%2Fidp&amp;level=2&amp;next=%2Farea%2Fpin%2Fchange"/);
    assert.doesNotMatch(page.body, /common\.coming|in arrivo/i);
    const evil = await t.app.inject({ url: '/signin?next=//evil.example' });
    assert.doesNotMatch(evil.body.slice(evil.body.indexOf('varco-federation')), /evil\.example/);
  });

  test('the password recovery page offers them with purpose=recovery', async () => {
    const page = await t.app.inject({ url: '/recovery/password' });
    assert.match(page.body, /\/auth\/spid\/login\?idp=[^"]*&amp;purpose=recovery/);
    assert.match(page.body, /\/auth\/cie\/login\?purpose=recovery/);
  });
});

describe('the test IdP', () => {
  test('cancelled, wrong level, disabled user: the SP shows the official anomaly with a 4xx', async () => {
    const cancelled = await throughTestIdp(t.app, t.deps.config, { cancel: true });
    assert.equal(cancelled.acs.statusCode, 401);
    assert.match(cancelled.acs.body, /annullato l’autenticazione/);
    const wrong = await throughTestIdp(t.app, t.deps.config, { outcome: 'wrong_level' });
    assert.match(wrong.acs.body, /livello di sicurezza/);
    const disabled = await throughTestIdp(t.app, t.deps.config, { outcome: 'disabled' });
    assert.match(disabled.acs.body, /sospesa o revocata/);
    assert.equal(disabled.cookie, null);
  });

  test('27: every failure outcome answers with its official SPID anomaly code; the SP shows that code\'s text with a 401', async () => {
    const expected = { cancelled: 'nr25', wrong_level: 'nr20', disabled: 'nr23', too_many_attempts: 'nr19', timeout: 'nr21', denied_consent: 'nr22' } as const;
    assert.deepEqual({ ...outcomes, ok: undefined }, { ...expected, ok: undefined });
    for (const [outcome, code] of Object.entries(expected)) {
      const answered = await throughTestIdp(t.app, t.deps.config, outcome === 'cancelled' ? { cancel: true } : { outcome });
      assert.equal(answered.acs.statusCode, 401, outcome);
      assert.ok(answered.acs.body.includes(federationMessages.it[`federation.anomaly.${code}`]), `${outcome} shows the ${code} text`);
      assert.equal(answered.cookie, null);
    }
  });

  test('its pages come from the it/en/ro catalogues, with no hard-coded Italian', async () => {
    const login = await startLogin(t.app, `/auth/spid/login?idp=${encodeURIComponent(`${t.deps.config.publicUrl}/dev/idp`)}&level=2`);
    const payload = new URLSearchParams({ SAMLRequest: login.samlRequest, RelayState: login.relayState }).toString();
    for (const lang of ['it', 'en', 'ro'] as const) {
      const page = await t.app.inject({ method: 'POST', url: '/dev/idp/sso', headers: { ...form, 'accept-language': lang }, payload });
      assert.equal(page.statusCode, 200);
      const texts = devIdpMessages[lang];
      for (const key of ['devIdp.identity', 'devIdp.submit', 'devIdp.cancel', 'devIdp.outcome.disabled'] as const) {
        assert.ok(page.body.includes(texts[key]), `${lang} ${key}`);
      }
      if (lang !== 'it') assert.equal(page.body.includes(devIdpMessages.it['devIdp.outcome.disabled']), false);
    }
  });

  test('a level chosen below the request is refused by the SP', async () => {
    const low = await throughTestIdp(t.app, t.deps.config, { level: 2, answerLevel: 1 });
    assert.equal(low.acs.statusCode, 403);
  });

  test('an AuthnRequest not signed by the SP is refused', async () => {
    const fake = Buffer.from('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x"/>').toString('base64');
    const response = await t.app.inject({ method: 'POST', url: '/dev/idp/sso', headers: form, payload: `SAMLRequest=${encodeURIComponent(fake)}` });
    assert.equal(response.statusCode, 400);
  });

  test('does not exist in production', async () => {
    const production = await startTestApp(productionEnv);
    try {
      assert.equal((await production.app.inject({ url: '/dev/idp/metadata' })).statusCode, 404);
      assert.equal((await production.app.inject({ method: 'POST', url: '/dev/idp/sso', headers: form, payload: 'SAMLRequest=x' })).statusCode, 404);
    } finally {
      await production.close();
    }
  });
});
