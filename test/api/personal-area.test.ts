// The personal area page and GET /api/v1/me: profile, contacts with verification state,
// password age and expiry, PIN state, the linked SPID identity, links to sessions and
// services, security advice, in it/en/ro.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { activateCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { throughTestIdp } from '../helpers/federation.ts';

const mario = { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'Mario', lastName: 'Rossi', email: 'mario@example.it', password: 'Tramonto-Viola!Sul-Po7' };

describe('personal area', () => {
  let t: TestApp;
  let cookie: string;
  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, mario);
    cookie = sessionCookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: mario.codiceFiscale, password: mario.password } }));
  });
  after(() => t.close());

  const area = async (lang: string, withCookie = cookie) => (await t.app.inject({ method: 'GET', url: `/area?lang=${lang}`, headers: { cookie: withCookie } })).body;

  test('shows profile, contacts with their state, password age and expiry, PIN, sessions, services and advice', async () => {
    const page = await area('it');
    assert.match(page, /Mario Rossi/);
    assert.match(page, /RSSMRA85T10A562S/);
    assert.match(page, /10 dicembre 1985/);
    assert.match(page, /mario@example\.it\s*<span class="badge[^"]*">da verificare/);
    assert.match(page, /Password cambiata il .+ \(0 giorni fa\)/);
    assert.match(page, /La password scade il/);
    assert.match(page, /Non hai un PIN/);
    assert.match(page, /Non hai ancora usato SPID o CIE/);
    assert.match(page, /href="\/area\/sessions"/);
    assert.match(page, /href="\/area\/services"/);
    assert.match(page, /Non ti chiederemo mai la password o il PIN per email, SMS o telefono/);
    assert.match(page, /Tieni aggiornati email e cellulare/);
    assert.match(await area('en'), /We will never ask for your password or PIN by email, text message or phone/);
    assert.match(await area('ro'), /Nu vă vom cere niciodată parola sau PIN-ul/);
    for (const lang of ['it', 'en', 'ro']) assert.doesNotMatch(await area(lang), /account\.|sessions\.|notices\./, `${lang}: no raw keys`);
  });

  test('GET /api/v1/me tells the password age and the linked SPID identity once used', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json();
    assert.ok(before.password.changedAt, 'password age');
    assert.equal(before.linkedIdentity, null);

    const spid = await throughTestIdp(t.app, t.deps.config, { level: 2 });
    assert.ok(spid.cookie, `SPID sign-in: ${spid.acs.statusCode}`);
    const after = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: spid.cookie } })).json();
    assert.equal(after.linkedIdentity.method, 'spid');
    assert.equal(after.linkedIdentity.level, 2);
    assert.ok(after.linkedIdentity.provider);
    // The identity belongs to the account: the earlier password session shows it too.
    const passwordSession = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json();
    assert.deepEqual(passwordSession.linkedIdentity, after.linkedIdentity);
    assert.deepEqual(passwordSession.signedInWith, before.signedInWith);
    assert.match(await area('it', spid.cookie), /Ultimo accesso con SPID \(.+, livello 2\)/);
  });
});
