// S30 notices by email: a sign-in from a new device (a device cookie, stored hashed), a
// credential change, a contact change and a lock, each with a "this wasn't me" link that
// ends every session (Varco's and the services') and leads to recovery or the desk.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { activateCitizen, mailbox, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';

const firefoxOnWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const mario = { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'Mario', lastName: 'Rossi', email: 'mario@example.it', password: 'Tramonto-Viola!Sul-Po7' };
const giulia = { codiceFiscale: 'BNCGLI90C55H501W', firstName: 'Giulia', lastName: 'Bianchi', email: 'giulia@example.it', password: 'Girasole#Lago-Blu42' };
const anna = { codiceFiscale: 'VRDLGU80A01F205T', firstName: 'Luigi', lastName: 'Verdi', email: 'luigi@example.it', password: 'Nuvola@Rosa-Vento9' };

function deviceCookieOf(response: LightMyRequestResponse): string | undefined {
  const cookie = response.cookies.find((c) => c.name === 'varco_device');
  return cookie ? `varco_device=${cookie.value}` : undefined;
}

function linkIn(text: string): string {
  const url = /(http\S+\/wasnt-me\/[A-Za-z0-9_-]{43})/.exec(text)?.[1];
  assert.ok(url, `a "this wasn't me" link in: ${text}`);
  return new URL(url).pathname;
}

describe('security notices', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ LOCKOUT_THRESHOLD: '3' });
    for (const citizen of [mario, giulia, anna]) await activateCitizen(t.app, citizen);
  });
  after(() => t.close());

  const signIn = (citizen: { codiceFiscale: string; password: string }, cookie?: string, remoteAddress = '93.184.216.34') =>
    t.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress, headers: { 'user-agent': firefoxOnWindows, ...(cookie ? { cookie } : {}) },
      payload: { codiceFiscale: citizen.codiceFiscale, password: citizen.password } });
  const notices = async (to: string, kind: string) => (await mailbox(t.app, to)).filter((m) => m.kind === kind);
  const alive = async (cookie: string) => (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode === 200;

  test('a sign-in from a new device is told, with the device, the place and the link; the same device again is not', async () => {
    const before = (await notices(mario.email, 'new_device_sign_in')).length;
    const first = await signIn(mario);
    assert.equal(first.statusCode, 200);
    const device = deviceCookieOf(first);
    assert.ok(device, 'the browser is given a device cookie');
    const told = await notices(mario.email, 'new_device_sign_in');
    assert.equal(told.length, before + 1);
    assert.match(told.at(-1)!.text, /Firefox su Windows, indirizzo 93\.184\.216\.x/);
    assert.ok(!told.at(-1)!.text.includes('93.184.216.34'), 'the full address is not in the notice');
    linkIn(told.at(-1)!.text);

    const stored = await t.deps.db.query<{ device_hash: string }>('SELECT device_hash FROM known_devices');
    assert.ok(!stored.rows.some((row) => device.endsWith(row.device_hash)), 'only the hash is stored');

    const again = await signIn(mario, device);
    assert.equal(again.statusCode, 200);
    assert.equal(deviceCookieOf(again), undefined, 'a known browser keeps its cookie');
    assert.equal((await notices(mario.email, 'new_device_sign_in')).length, before + 1, 'a known device is not news');
  });

  test('"this wasn\'t me": the link\'s page changes nothing; confirming ends every session and leads to recovery; once only', async () => {
    const a = sessionCookieOf(await signIn(giulia));
    const b = sessionCookieOf(await signIn(giulia));
    const path = linkIn((await notices(giulia.email, 'new_device_sign_in')).at(-1)!.text);

    const page = await t.app.inject({ method: 'GET', url: path });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Non sei stato tu\?/);
    assert.ok(await alive(a) && await alive(b), 'opening the link (a mail scanner) ends nothing');

    // What a service holds through the OpenID Connect provider for her (a provider session, a refresh token).
    const account = (await t.deps.db.query<{ id: string }>('SELECT id FROM accounts WHERE codice_fiscale = $1', [giulia.codiceFiscale])).rows[0]!;
    for (const [model, id] of [['Session', 'giulia-provider-session'], ['RefreshToken', 'giulia-refresh']]) {
      await t.deps.db.query('INSERT INTO oidc_payloads (model, id, payload) VALUES ($1, $2, $3)', [model, id, JSON.stringify({ accountId: account.id })]);
    }

    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const csrfCookie = page.cookies.find((c) => c.name === 'varco_csrf')!;
    const forged = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    assert.equal(forged.statusCode, 403);
    const done = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `varco_csrf=${csrfCookie.value}` },
      payload: new URLSearchParams({ _csrf: csrf }).toString() });
    assert.equal(done.statusCode, 200, done.body);
    assert.match(done.body, /Abbiamo chiuso ogni accesso/);
    assert.match(done.body, /href="\/recovery\/password"/);
    assert.match(done.body, /href="\/assistance"/);
    assert.ok(!(await alive(a)) && !(await alive(b)), 'every session ended');
    const left = await t.deps.db.query(`SELECT 1 FROM oidc_payloads WHERE payload->>'accountId' = $1`, [account.id]);
    assert.equal(left.rowCount, 0, 'the services\' sessions and tokens end too');

    const reused = await t.app.inject({ method: 'GET', url: path });
    assert.equal(reused.statusCode, 410);
    assert.match(reused.body, /Collegamento non più valido/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/wasnt-me/not-a-token' })).statusCode, 400);

    // Every device is a stranger again: the next sign-in is told.
    const count = (await notices(giulia.email, 'new_device_sign_in')).length;
    const cookie = sessionCookieOf(await signIn(giulia));
    assert.equal((await notices(giulia.email, 'new_device_sign_in')).length, count + 1);
    const activity = await t.app.inject({ method: 'GET', url: '/api/v1/me/activity', headers: { cookie } });
    assert.ok((activity.json().events as { type: string }[]).some((e) => e.type === 'reported_not_me'));
  });

  test('a password change notice carries a working link, and each notice keeps its own', async () => {
    const signedIn = await signIn(anna);
    const cookie = sessionCookieOf(signedIn);
    const newDeviceLink = linkIn((await notices(anna.email, 'new_device_sign_in')).at(-1)!.text);
    const changed = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie },
      payload: { currentPassword: anna.password, newPassword: 'Castagno&Neve-Alta58' } });
    assert.equal(changed.statusCode, 204);
    const notice = (await notices(anna.email, 'credential_changed')).at(-1)!;
    assert.match(notice.text, /la password del tuo accesso è stata cambiata/);
    const path = linkIn(notice.text);
    assert.equal((await t.app.inject({ method: 'GET', url: path })).statusCode, 200, 'the change does not void its own notice\'s link');
    assert.equal((await t.app.inject({ method: 'GET', url: newDeviceLink })).statusCode, 200, 'a later notice does not void an earlier one');
    anna.password = 'Castagno&Neve-Alta58';
  });

  test('a contact change notice to the old address carries the link', async () => {
    const cookie = sessionCookieOf(await signIn(mario));
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/me/contacts', headers: { cookie }, payload: { email: 'mario.nuovo@example.it' } });
    assert.equal(put.statusCode, 202);
    const code = /\b(\d{6})\b/.exec((await notices('mario.nuovo@example.it', 'contact_verification_code')).at(-1)!.text)![1]!;
    const confirmed = await t.app.inject({ method: 'POST', url: '/api/v1/me/contacts/confirm', headers: { cookie }, payload: { contact: 'email', code } });
    assert.equal(confirmed.statusCode, 204);
    const notice = (await notices(mario.email, 'contact_changed')).at(-1)!;
    assert.equal((await t.app.inject({ method: 'GET', url: linkIn(notice.text) })).statusCode, 200);
  });

  test('a lock notice carries the link', async () => {
    for (let i = 0; i < 3; i++) await signIn({ codiceFiscale: anna.codiceFiscale, password: 'Sbagliata-Davvero-1!' });
    const notice = (await notices(anna.email, 'account_locked')).at(-1);
    assert.ok(notice, 'the lock was told');
    assert.equal((await t.app.inject({ method: 'GET', url: linkIn(notice.text) })).statusCode, 200);
  });
});
