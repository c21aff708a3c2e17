// A PIN holder revokes the PIN and gets a new one through SPID (level 2 or 3) or CIE, within
// 10 minutes of that sign-in, with the after-change rules of a PIN recovery (every session
// ends, the halves go by SMS and email, the audit), like the password recovery through SPID.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DevIdp } from '../../src/dev/idp/idp.keys.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { form, postResponse, signedResponse, startLogin, testIdp, validFields } from '../helpers/federation.ts';
import { citizenWithActivePin, countOf, issuedPin, registerPinCitizen, signInWithPin, type PinCitizen } from '../helpers/pin.ts';

let t: TestApp;
let idp: DevIdp;

before(async () => {
  t = await startTestApp();
  idp = await testIdp(t.deps.config);
});
after(() => t.close());

/** A SPID / CIE sign-in started from "Hai smarrito il tuo PIN?" (purpose=pin), answered by the test IdP's key. */
async function federatedSignIn(codiceFiscale: string, options: { kind?: 'spid' | 'cie'; level?: number; purpose?: boolean } = {}) {
  const kind = options.kind ?? 'spid';
  const level = options.level ?? 2;
  const purpose = options.purpose ?? true ? 'purpose=pin' : 'next=/area';
  const query = kind === 'spid' ? `idp=${encodeURIComponent(idp.provider.entityId)}&level=${level}&${purpose}` : purpose;
  const started = await startLogin(t.app, `/auth/${kind}/login?${query}`);
  const fields = validFields(t.deps.config, idp, started, t.clock.now(), { level: kind === 'cie' ? 3 : level, codiceFiscale, kind });
  const acs = await postResponse(t.app, signedResponse(fields, idp.key), started.relayState, kind);
  assert.equal(acs.statusCode, 200, acs.body.slice(0, 300));
  const session = acs.cookies.find((c) => c.name === 'varco_session');
  assert.ok(session);
  return { acs, cookie: `varco_session=${session.value}` };
}

async function renew(cookie: string) {
  const page = await t.app.inject({ url: '/area/pin/renew', headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const cookies = [cookie, ...page.cookies.filter((c) => c.name !== 'varco_session').map((c) => `${c.name}=${c.value}`)].join('; ');
  const posted = await t.app.inject({ method: 'POST', url: '/area/pin/renew', headers: { ...form, cookie: cookies }, payload: new URLSearchParams({ _csrf: csrf }).toString() });
  return { page, posted };
}

describe('PIN revoke and reissue through SPID and CIE', () => {
  let citizen: PinCitizen;
  let activePin: string;
  before(async () => {
    citizen = await registerPinCitizen(t, 1);
    activePin = await citizenWithActivePin(t, citizen);
  });

  test('"Hai smarrito il tuo PIN?" offers SPID and CIE with purpose=pin', async () => {
    const page = await t.app.inject({ url: '/recovery/pin' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/auth\/spid\/login\?idp=[^"]+&amp;level=2&amp;purpose=pin"/);
    assert.match(page.body, /href="\/auth\/cie\/login\?purpose=pin"/);
  });

  test('SPID level 2: the ACS continues to /area/pin/renew; the old PIN dies, a new one comes in two halves, every session ends', async () => {
    const other = await signInWithPin(t, citizen.codiceFiscale, activePin);
    const otherCookie = `varco_session=${other.cookies.find((c) => c.name === 'varco_session')?.value}`;
    const halvesBefore = await countOf(t, citizen.mobile, 'pin_first_half');
    const { acs, cookie } = await federatedSignIn(citizen.codiceFiscale);
    assert.match(acs.body, /href="\/area\/pin\/renew" data-autofollow/);
    const { page, posted } = await renew(cookie);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Revoca il PIN e inviamene uno nuovo/);
    assert.deepEqual([posted.statusCode, posted.headers.location], [303, '/recovery/pin/renewed']);
    assert.equal((await t.app.inject({ url: '/recovery/pin/renewed' })).statusCode, 200);
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, activePin)).statusCode, 401, 'the old PIN no longer signs in');
    assert.equal(await countOf(t, citizen.mobile, 'pin_first_half'), halvesBefore + 1);
    const newPin = await issuedPin(t, citizen);
    const withNew = await signInWithPin(t, citizen.codiceFiscale, newPin);
    assert.equal(withNew.statusCode, 200);
    assert.deepEqual(withNew.json().requiredActions, ['change_pin'], 'a 16-character PIN is changed at first access');
    for (const ended of [cookie, otherCookie]) assert.equal((await t.app.inject({ url: '/api/v1/me', headers: { cookie: ended } })).statusCode, 401);
    const audit = await t.deps.db.query<{ actor: string }>("SELECT actor FROM audit_events WHERE type = 'pin_recovered' ORDER BY seq DESC LIMIT 1");
    assert.equal(audit.rows[0]?.actor, `citizen:${citizen.codiceFiscale}`);
    activePin = newPin;
  });

  test('CIE works the same way', async () => {
    const before = await countOf(t, citizen.mobile, 'pin_first_half');
    const { cookie } = await federatedSignIn(citizen.codiceFiscale, { kind: 'cie' });
    const { posted } = await renew(cookie);
    assert.equal(posted.headers.location, '/recovery/pin/renewed');
    assert.equal(await countOf(t, citizen.mobile, 'pin_first_half'), before + 1);
  });

  test('SpidL1, or more than 10 minutes after the sign-in: refused with 403, nothing issued', async () => {
    const before = await countOf(t, citizen.mobile, 'pin_first_half');
    // purpose=pin asks SpidL2 at least (a SpidL1 answer is refused at the ACS); a plain SpidL1 sign-in is not enough here.
    const l1 = await federatedSignIn(citizen.codiceFiscale, { level: 1, purpose: false });
    assert.equal((await t.app.inject({ url: '/area/pin/renew', headers: { cookie: l1.cookie } })).statusCode, 403);
    assert.equal((await renew(l1.cookie)).posted.statusCode, 403);
    const late = await federatedSignIn(citizen.codiceFiscale);
    t.clock.advance(10 * 60 + 1);
    assert.equal((await renew(late.cookie)).posted.statusCode, 403);
    assert.equal(await countOf(t, citizen.mobile, 'pin_first_half'), before);
  });

  test('an account without a PIN is told so (409), and nothing is issued', async () => {
    const noPin = await registerPinCitizen(t, 2);
    const { cookie } = await federatedSignIn(noPin.codiceFiscale);
    const { page, posted } = await renew(cookie);
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /Non hai un PIN/);
    assert.equal(posted.statusCode, 409);
    assert.equal(await countOf(t, noPin.mobile, 'pin_first_half'), 0);
  });
});
