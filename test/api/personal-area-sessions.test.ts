// The personal area's active sessions (API and pages): device in plain words, approximate
// place, last use (written at most once a minute), the current one marked; ending one and
// every other one; another account's session cannot be named.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { activateCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { formClient } from '../helpers/form-client.ts';

const mario = { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'Mario', lastName: 'Rossi', email: 'mario@example.it', password: 'Tramonto-Viola!Sul-Po7' };
const giulia = { codiceFiscale: 'BNCGLI90C55H501W', firstName: 'Giulia', lastName: 'Bianchi', email: 'giulia@example.it', password: 'Girasole#Lago-Blu42' };
const firefoxOnWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const safariOnIphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

interface Listed { id: string; current: boolean; device: { browser: string | null; description: string }; place: { kind: string; address?: string; description: string }; lastUsedAt: string; signedInAt: string }

describe('personal area: active sessions', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, mario);
    await activateCitizen(t.app, giulia);
  });
  after(() => t.close());

  async function signIn(citizen: { codiceFiscale: string; password: string }, userAgent: string, remoteAddress = '127.0.0.1') {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress, headers: { 'user-agent': userAgent },
      payload: { codiceFiscale: citizen.codiceFiscale, password: citizen.password } });
    return sessionCookieOf(response);
  }
  const list = async (cookie: string, lang = 'it') => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/me/sessions?lang=${lang}`, headers: { cookie } });
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['cache-control']), /no-store/);
    return (response.json() as { sessions: Listed[] }).sessions;
  };

  test('each session shows its device in plain words, an approximate place and its last use; the current one first', async () => {
    const phone = await signIn(mario, safariOnIphone, '93.184.216.34');
    const laptop = await signIn(mario, firefoxOnWindows, '192.168.1.20');
    const sessions = await list(laptop);
    assert.ok(sessions.length >= 2);
    const [current, ...others] = sessions;
    assert.equal(current!.current, true);
    assert.equal(current!.device.description, 'Firefox su Windows');
    assert.deepEqual(current!.place, { kind: 'local_network', description: 'rete locale' });
    const iphone = others.find((s) => s.device.description === 'Safari su iPhone');
    assert.ok(iphone, JSON.stringify(others));
    assert.deepEqual(iphone.place, { kind: 'masked', address: '93.184.216.x', description: 'indirizzo 93.184.216.x' });
    assert.ok(!JSON.stringify(sessions).includes('93.184.216.34'), 'the full address is never shown');
    assert.equal((await list(laptop, 'en'))[0]!.device.description, 'Firefox on Windows');
    assert.equal((await list(laptop, 'ro'))[0]!.place.description, 'rețea locală');

    // Last use moves when the session is used, at most once a minute.
    const before = iphone.lastUsedAt;
    t.clock.advance(30);
    await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: phone } });
    assert.equal((await list(laptop)).find((s) => s.id === iphone.id)!.lastUsedAt, before, 'not rewritten within the minute');
    t.clock.advance(60);
    await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: phone } });
    const moved = (await list(laptop)).find((s) => s.id === iphone.id)!.lastUsedAt;
    assert.ok(moved > before, `${moved} after ${before}`);
  });

  test('ending one session signs that browser out and leaves the others', async () => {
    const other = await signIn(mario, safariOnIphone);
    const mine = await signIn(mario, firefoxOnWindows);
    const target = (await list(other)).find((s) => s.current)!;
    const ended = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${target.id}`, headers: { cookie: mine } });
    assert.equal(ended.statusCode, 204);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: other } })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: mine } })).statusCode, 200);
    assert.ok(!(await list(mine)).some((s) => s.id === target.id));
    const again = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${target.id}`, headers: { cookie: mine } });
    assert.equal(again.statusCode, 404);
    assert.equal(again.json().code, 'not_found');
    const activity = await t.app.inject({ method: 'GET', url: '/api/v1/me/activity', headers: { cookie: mine } });
    assert.equal(activity.json().events[0].type, 'session_ended');
  });

  test("another account's session cannot be ended, and a malformed id is a 404, never a 500", async () => {
    const hers = await signIn(giulia, safariOnIphone);
    const mine = await signIn(mario, firefoxOnWindows);
    const herSession = (await list(hers)).find((s) => s.current)!;
    const refused = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${herSession.id}`, headers: { cookie: mine } });
    assert.equal(refused.statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: hers } })).statusCode, 200);
    const malformed = await t.app.inject({ method: 'DELETE', url: '/api/v1/me/sessions/not-a-uuid', headers: { cookie: mine } });
    assert.equal(malformed.statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me/sessions' })).statusCode, 401);
  });

  test('"end every other session" keeps only the one asking', async () => {
    const a = await signIn(mario, safariOnIphone);
    const b = await signIn(mario, safariOnIphone);
    const mine = await signIn(mario, firefoxOnWindows);
    const ended = await t.app.inject({ method: 'DELETE', url: '/api/v1/me/sessions', headers: { cookie: mine } });
    assert.equal(ended.statusCode, 200);
    assert.ok(ended.json().ended >= 2);
    for (const cookie of [a, b]) assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode, 401);
    const left = await list(mine);
    assert.equal(left.length, 1);
    assert.equal(left[0]!.current, true);
  });

  test('the page lists the sessions and ends them with CSRF-protected forms, without JavaScript', async () => {
    const other = await signIn(mario, safariOnIphone);
    const browser = formClient(t);
    const signedIn = await browser.get('/signin');
    assert.equal(signedIn.statusCode, 200);
    const posted = await browser.post('/signin', { method: 'password', codiceFiscale: mario.codiceFiscale, password: mario.password });
    assert.equal(posted.statusCode, 303, posted.body);
    const page = await browser.get('/area/sessions');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Accessi attivi/);
    assert.match(page.body, /Questo dispositivo/);
    assert.match(page.body, /Safari su iPhone/);
    const otherId = (await list(other)).find((s) => s.current)!.id;
    assert.match(page.body, new RegExp(`action="/area/sessions/${otherId}/end"`));

    const forged = await t.app.inject({ method: 'POST', url: `/area/sessions/${otherId}/end`, headers: { cookie: `varco_session=${browser.cookie('varco_session')}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    assert.equal(forged.statusCode, 403, 'no CSRF token, no change');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: other } })).statusCode, 200);

    const ended = await browser.post(`/area/sessions/${otherId}/end`, {});
    assert.equal(ended.statusCode, 303);
    assert.equal(ended.headers.location, '/area/sessions?ended=1');
    assert.match((await browser.get('/area/sessions?ended=1')).body, /Accesso chiuso/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: other } })).statusCode, 401);

    const third = await signIn(mario, safariOnIphone);
    await browser.get('/area/sessions');
    const all = await browser.post('/area/sessions/end-others', {});
    assert.equal(all.headers.location, '/area/sessions?ended=others');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: third } })).statusCode, 401);
    const after = await browser.get('/area/sessions?ended=others');
    assert.match(after.body, /Tutti gli altri accessi sono stati chiusi/);
    assert.match(after.body, /Non risultano altri accessi attivi/);
  });
});
