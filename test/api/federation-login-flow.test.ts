// SPID and CIE as strategies of the login flow: the AuthnRequest opens a flow waiting for its
// assertion, the accepted assertion moves it on through finishLoginFlow (required actions,
// S19 fresh session, the same audit as password/PIN), a replay finds it moved, and an answer
// without an accepted identity sends the citizen back to choosing a method, `next` kept.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { postResponse, signedResponse, startLogin, testIdp, throughTestIdp, validFields } from '../helpers/federation.ts';
import type { DevIdp } from '../../src/dev/idp/idp.keys.ts';

let t: TestApp;
let idp: DevIdp;
const cf = 'RSSMRA85T10A562S';
const flowOf = async (id: string) =>
  (await t.deps.db.query<{ state: string; method: string | null; account_id: string | null }>('SELECT state, method, account_id FROM login_flows WHERE id = $1', [id])).rows[0];

before(async () => {
  t = await startTestApp();
  idp = await testIdp(t.deps.config);
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/admin/accounts', headers: { authorization: `Bearer ${adminToken}` },
    payload: { codiceFiscale: cf, firstName: 'Mario', lastName: 'Rossi', birthDate: '1985-12-10', email: 'mario@example.it', temporaryPassword: 'Provvisoria-2026' } });
  assert.equal(created.statusCode, 201);
});
after(() => t.close());

describe('SPID and CIE through the login flow', () => {
  test('the AuthnRequest opens a flow awaiting its assertion; the accepted one moves it to done with method and account', async () => {
    for (const kind of ['spid', 'cie'] as const) {
      const { login, acs } = await throughTestIdp(t.app, t.deps.config, { kind, level: 2, next: '/area/pin/change' });
      assert.equal(acs.statusCode, 200);
      assert.match(acs.body, /href="\/area\/pin\/change" data-autofollow/);
      const flow = await flowOf(login.relayState);
      assert.equal(flow?.state, 'done');
      assert.equal(flow?.method, kind);
      assert.ok(flow?.account_id);
    }
  });

  test('the audit of a SPID sign-in is the login flow\'s: method, acr and provider, as for password', async () => {
    await throughTestIdp(t.app, t.deps.config, { level: 3 });
    const audit = await t.deps.db.query<{ details: Record<string, unknown>; outcome: string }>("SELECT details, outcome FROM audit_events WHERE type = 'sign_in' ORDER BY seq DESC LIMIT 1");
    assert.deepEqual(audit.rows[0], { outcome: 'success', details: { method: 'spid', acr: 'https://www.spid.gov.it/SpidL3', provider: idp.provider.entityId } });
  });

  test('required actions are routed after SPID and CIE too: the ACS continues to the first, and the flow waits for it', async () => {
    await t.deps.db.query("UPDATE accounts SET pending_actions = '{verify_email}' WHERE codice_fiscale = $1", [cf]);
    try {
      for (const kind of ['spid', 'cie'] as const) {
        const { login, acs, cookie } = await throughTestIdp(t.app, t.deps.config, { kind, next: '/area/pin/change' });
        assert.equal(acs.statusCode, 200);
        assert.match(acs.body, /href="\/area\/email\/verify" data-autofollow/);
        assert.equal((await flowOf(login.relayState))?.state, 'awaiting_actions');
        const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: cookie! } });
        assert.deepEqual(me.json().requiredActions, ['verify_email']);
        // S23: nothing else while an action is pending; the area sends the browser to it.
        const area = await t.app.inject({ url: '/area', headers: { cookie: cookie! } });
        assert.equal(area.headers.location, '/area/email/verify');
      }
    } finally {
      await t.deps.db.query("UPDATE accounts SET pending_actions = '{}' WHERE codice_fiscale = $1", [cf]);
    }
  });

  test('25: a replayed Response finds the flow moved on: 403, no session, the flow unchanged', async () => {
    const started = await startLogin(t.app, `/auth/spid/login?idp=${encodeURIComponent(idp.provider.entityId)}&level=2`);
    assert.equal((await flowOf(started.relayState))?.state, 'awaiting_assertion');
    const xml = signedResponse(validFields(t.deps.config, idp, started, t.clock.now()), idp.key);
    assert.equal((await postResponse(t.app, xml, started.relayState)).statusCode, 200);
    const sessions = await t.deps.db.query('SELECT 1 FROM sessions');
    const replay = await postResponse(t.app, xml, started.relayState);
    assert.equal(replay.statusCode, 403);
    assert.equal(replay.cookies.some((c) => c.name === 'varco_session'), false);
    assert.equal((await t.deps.db.query('SELECT 1 FROM sessions')).rows.length, sessions.rows.length);
    assert.ok(sessions.rows.length > 0);
    assert.equal((await flowOf(started.relayState))?.state, 'done');
  });

  test('27: a signed failure (cancelled) spends the request and returns the flow to choosing a method, keeping next', async () => {
    const { login, acs } = await throughTestIdp(t.app, t.deps.config, { cancel: true, next: '/area/pin/change' });
    assert.equal(acs.statusCode, 401);
    assert.equal((await flowOf(login.relayState))?.state, 'choosing_method');
    assert.match(acs.body, new RegExp(`href="/signin\\?flow=${login.relayState}"`));
    const retry = await t.app.inject({ url: `/signin?flow=${login.relayState}` });
    assert.equal(retry.statusCode, 200);
    assert.match(retry.body, /next=%2Farea%2Fpin%2Fchange/, 'the SPID buttons of the retry page keep next');
  });
});
