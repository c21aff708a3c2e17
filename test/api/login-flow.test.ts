// Sign-in as a flow: `next` survives the sign-in and any required action, only Varco paths are
// kept (S27), the session records how it was opened, and its id changes once the required
// actions are cleared (S19).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { activateCitizen, registerCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { formClient } from '../helpers/form-client.ts';
import { citizenWithActivePin, registerPinCitizen } from '../helpers/pin.ts';
import { pruneLoginFlows } from '../../src/flows/sign-in/login-flow.steps.ts';

const password = 'Tramonto-Viola!Sul-Po7';
const temporaryPassword = 'Provvisoria-2026';
const flowField = (body: string) => /name="flow" value="([^"]+)"/.exec(body)?.[1];

describe('the login flow', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', password });
  });
  after(() => t.close());

  test('a sign-in page with next carries a flow and lands there after the sign-in', async () => {
    const browser = formClient(t);
    const page = await browser.get('/signin?next=%2Farea%2Fpin%2Fchange');
    assert.equal(page.statusCode, 200);
    const flow = flowField(page.body);
    assert.ok(flow, 'the form carries the flow id');
    assert.match(page.body, new RegExp(`href="/signin\\?method=pin&amp;flow=${flow}"`), 'the PIN tab keeps the flow');
    const signedIn = await browser.post('/signin', { method: 'password', codiceFiscale: 'rssmra85t10a562s', password, flow: flow! });
    assert.deepEqual([signedIn.statusCode, signedIn.headers.location], [303, '/area/pin/change']);
    const row = await t.deps.db.query<{ state: string; method: string }>('SELECT state, method FROM login_flows WHERE id = $1', [flow]);
    assert.deepEqual(row.rows[0], { state: 'done', method: 'password' });
  });

  test('a wrong secret keeps the flow on the page it re-renders', async () => {
    const browser = formClient(t);
    const flow = flowField((await browser.get('/signin?next=/area/password')).body)!;
    const wrong = await browser.post('/signin', { method: 'password', codiceFiscale: 'RSSMRA85T10A562S', password: 'nope', flow });
    assert.equal(wrong.statusCode, 401);
    assert.equal(flowField(wrong.body), flow);
    const right = await browser.post('/signin', { method: 'password', codiceFiscale: 'RSSMRA85T10A562S', password, flow });
    assert.equal(right.headers.location, '/area/password');
  });

  const foreignTargets = [
    'https://evil.example/area', '//evil.example/area', '/\\evil.example', '%2F%2Fevil.example', '/%2Fevil.example',
    '/%5Cevil.example', '%252F%252Fevil.example', 'javascript:alert(1)', '/\t/evil.example',
  ];
  for (const target of foreignTargets) {
    test(`next=${JSON.stringify(target)} is ignored: no flow, and the sign-in lands in the area`, async () => {
      const browser = formClient(t);
      const page = await browser.get(`/signin?next=${encodeURIComponent(target)}`);
      assert.equal(page.statusCode, 200);
      assert.equal(flowField(page.body), undefined);
      const signedIn = await browser.post('/signin', { method: 'password', codiceFiscale: 'RSSMRA85T10A562S', password });
      assert.deepEqual([signedIn.statusCode, signedIn.headers.location], [303, '/area']);
    });
  }

  test('a forged, unknown or expired flow id is no flow: the citizen still signs in', async () => {
    for (const flow of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', "'; DROP TABLE login_flows; --"]) {
      const browser = formClient(t);
      await browser.get('/signin');
      const signedIn = await browser.post('/signin', { method: 'password', codiceFiscale: 'RSSMRA85T10A562S', password, flow });
      assert.deepEqual([signedIn.statusCode, signedIn.headers.location], [303, '/area'], flow);
    }
    const browser = formClient(t);
    const flow = flowField((await browser.get('/signin?next=/area/password')).body)!;
    t.clock.advance(61 * 60);
    const late = await browser.post('/signin', { method: 'password', codiceFiscale: 'RSSMRA85T10A562S', password, flow });
    assert.deepEqual([late.statusCode, late.headers.location], [303, '/area'], 'an expired flow has lost its way back');
    assert.equal(flowField((await browser.get(`/signin?flow=${flow}`)).body), undefined, 'and is not offered again');
  });

  test('a temporary password is changed inside the flow, which then resumes to next under a new session id', async () => {
    await registerCitizen(t.app, { codiceFiscale: 'BNCGLI90C55H501W', email: 'giulia@example.it', temporaryPassword });
    const browser = formClient(t);
    const flow = flowField((await browser.get('/signin?next=/area/pin/change')).body)!;
    const signedIn = await browser.post('/signin', { method: 'password', codiceFiscale: 'BNCGLI90C55H501W', password: temporaryPassword, flow });
    assert.deepEqual([signedIn.statusCode, signedIn.headers.location], [303, '/area/password']);
    const restricted = browser.cookie('varco_session');
    const elsewhere = await browser.get('/signin/continue');
    assert.equal(elsewhere.headers.location, '/area/password', 'continue sends a restricted session to its action');
    await browser.get('/area/password');
    const changed = await browser.post('/area/password', { currentPassword: temporaryPassword, newPassword: 'Girasole#Lago-Blu42', confirmPassword: 'Girasole#Lago-Blu42' });
    assert.deepEqual([changed.statusCode, changed.headers.location], [303, '/area/pin/change']);
    const freed = browser.cookie('varco_session');
    assert.ok(freed && freed !== restricted, 'S19: a new session id once the actions are cleared');
    const old = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `varco_session=${restricted}` } });
    assert.equal(old.statusCode, 401, 'the restricted id is dead');
    assert.equal((await browser.get('/signin/continue')).headers.location, '/area/pin/change');
  });

  test('the session records the method and assurance it was opened with (GET /api/v1/me signedInWith)', async () => {
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password } });
    assert.equal(signedIn.statusCode, 200);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: sessionCookieOf(signedIn) } });
    assert.deepEqual(me.json().signedInWith, { method: 'password' });
    const rows = await t.deps.db.query<{ acr: string; login_flow_id: string | null }>(
      'SELECT acr, login_flow_id FROM sessions ORDER BY created_at DESC, acr LIMIT 1');
    assert.equal(rows.rows[0]?.acr, 'urn:varco:acr:password');
    assert.ok(rows.rows[0]?.login_flow_id, 'an API sign-in is a flow too');

    const citizen = await registerPinCitizen(t, 90);
    const pin = await citizenWithActivePin(t, citizen);
    const pinSignIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: citizen.codiceFiscale, pin } });
    const pinMe = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: sessionCookieOf(pinSignIn) } });
    assert.deepEqual(pinMe.json().signedInWith, { method: 'pin' });
  });

  test('housekeeping deletes flows a day past their expiry, and only those', async () => {
    await t.app.inject({ method: 'GET', url: '/signin?next=/area' });
    const count = async () => Number((await t.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM login_flows')).rows[0]?.n);
    const before = await count();
    assert.equal(await pruneLoginFlows(t.deps), 0, 'nothing is old enough yet');
    t.clock.advance(60 * 60 + 24 * 60 * 60 + 1);
    await t.app.inject({ method: 'GET', url: '/signin?next=/area' });
    assert.ok((await pruneLoginFlows(t.deps)) >= before);
    assert.equal(await count(), 1, 'the fresh flow stays');
  });

  test('continue without a session goes to the sign-in page; with one, to the fallback or the area', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/signin/continue' })).headers.location, '/signin');
    const browser = formClient(t);
    await browser.get('/signin');
    await browser.post('/signin', { method: 'password', codiceFiscale: 'RSSMRA85T10A562S', password });
    assert.equal((await browser.get('/signin/continue')).headers.location, '/area');
    assert.equal((await browser.get('/signin/continue?fallback=/area?pin=changed')).headers.location, '/area?pin=changed');
    assert.equal((await browser.get('/signin/continue?fallback=//evil.example')).headers.location, '/area');
  });
});
