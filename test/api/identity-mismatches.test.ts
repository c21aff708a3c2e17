// Issue 10: SPID/CIE personal data that differ from the account's reach the operators. A SPID
// sign-in through the test IdP with a differing name opens a mismatch (the account untouched);
// the desk lists it, marks it reviewed with a note (audited), and it leaves the open list.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, registerCitizen, startTestApp, type TestApp } from '../helpers/app.ts';
import { throughTestIdp } from '../helpers/federation.ts';
import { createOperator } from '../helpers/operator.ts';

const cf = 'RSSMRA85T10A562S'; // the test IdP's "mario": Mario Rossi, 1985-12-10

describe('identity mismatches at the desk', () => {
  let t: TestApp;
  let operator: string;
  let citizenCookie: string;
  const asOperator = () => ({ authorization: `Bearer ${operator}` });
  const list = (status?: string, headers: Record<string, string> = asOperator()) =>
    t.app.inject({ method: 'GET', url: `/api/v1/desk/identity-mismatches${status ? `?status=${status}` : ''}`, headers });
  const review = (id: string, payload: unknown, headers: Record<string, string> = asOperator()) =>
    t.app.inject({ method: 'POST', url: `/api/v1/desk/identity-mismatches/${id}/review`, headers, payload: payload as Record<string, string> });

  before(async () => {
    t = await startTestApp();
    operator = await createOperator(t.app);
    const created = await registerCitizen(t.app, { codiceFiscale: cf, firstName: 'Mariolino', lastName: 'Rossi', temporaryPassword: 'Provvisoria-2026' });
    assert.equal(created.statusCode, 201, created.body);
  });
  after(() => t.close());

  test('nothing is open before any SPID sign-in', async () => {
    const response = await list();
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { mismatches: [] });
  });

  test('a SPID sign-in with another first name is listed for operators; the account keeps its name', async () => {
    const { acs, cookie } = await throughTestIdp(t.app, t.deps.config, { level: 2 });
    assert.equal(acs.statusCode, 200, acs.body.slice(0, 300));
    assert.ok(cookie, 'the citizen is signed in all the same');
    citizenCookie = cookie;
    const response = await list();
    assert.equal(response.statusCode, 200);
    const [mismatch, ...others] = response.json().mismatches;
    assert.equal(others.length, 0);
    assert.equal(mismatch.codiceFiscale, cf);
    assert.equal(mismatch.method, 'spid');
    assert.equal(mismatch.provider, `${t.deps.config.publicUrl}/dev/idp`);
    assert.deepEqual(mismatch.fields, ['firstName']);
    assert.deepEqual(mismatch.asserted, { firstName: 'Mario', lastName: 'Rossi', birthDate: '1985-12-10' });
    assert.deepEqual(mismatch.registered, { firstName: 'Mariolino', lastName: 'Rossi', birthDate: '1985-12-10' });
    assert.equal(mismatch.status, 'open');
    assert.equal(mismatch.review, null);
    assert.equal(mismatch.lastSeenAt, t.clock.now().toISOString());
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: citizenCookie } });
    assert.equal(me.json().firstName, 'Mariolino', 'the personal area shows the registered name');
    const account = await t.deps.db.query<{ first_name: string }>('SELECT first_name FROM accounts WHERE codice_fiscale = $1', [cf]);
    assert.equal(account.rows[0]?.first_name, 'Mariolino');
  });

  test('signing in again with the same difference counts on the same open mismatch', async () => {
    await throughTestIdp(t.app, t.deps.config, { level: 2 });
    const mismatches = (await list()).json().mismatches;
    assert.equal(mismatches.length, 1);
    assert.equal(mismatches[0].occurrences, 2);
  });

  test('without an operator: no credentials 401, a citizen session 401, another role 403', async () => {
    assert.equal((await list(undefined, {})).statusCode, 401);
    assert.equal((await list(undefined, { cookie: citizenCookie })).statusCode, 401);
    assert.equal((await list(undefined, { authorization: `Bearer ${adminToken}` })).statusCode, 403);
    const id = (await list()).json().mismatches[0].id as string;
    assert.equal((await review(id, { note: 'x' }, {})).statusCode, 401);
    assert.equal((await review(id, { note: 'x' }, { cookie: citizenCookie })).statusCode, 401);
    assert.equal((await review(id, { note: 'x' }, { authorization: `Bearer ${adminToken}` })).statusCode, 403);
    assert.equal((await list()).json().mismatches.length, 1, 'still open');
  });

  test('a review needs a note; an unknown mismatch is 404', async () => {
    const id = (await list()).json().mismatches[0].id as string;
    for (const payload of [{}, { note: '' }, { note: '   ' }]) {
      const refused = await review(id, payload);
      assert.equal(refused.statusCode, 400, JSON.stringify(payload));
      assert.equal(refused.json().code, 'invalid_request');
    }
    const unknown = await review('00000000-0000-4000-8000-000000000000', { note: 'controllato' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'not_found');
  });

  test('reviewed: out of the open list, in the reviewed one, audited with the operator; a second review is 409', async () => {
    const id = (await list()).json().mismatches[0].id as string;
    const reviewed = await review(id, { note: 'Nome abbreviato all’anagrafe comunale: verificato al telefono.' });
    assert.equal(reviewed.statusCode, 200, reviewed.body);
    assert.equal(reviewed.json().status, 'reviewed');
    assert.equal(reviewed.json().review.note, 'Nome abbreviato all’anagrafe comunale: verificato al telefono.');
    assert.deepEqual((await list()).json().mismatches, []);
    const done = (await list('reviewed')).json().mismatches;
    assert.deepEqual(done.map((m: { id: string }) => m.id), [id]);
    const again = await review(id, { note: 'di nuovo' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'conflict');
    const operatorId = done[0].review.operatorId as string;
    const audit = await t.deps.db.query<{ actor: string; details: Record<string, unknown> }>(
      "SELECT actor, details FROM audit_events WHERE type = 'federated_identity_mismatch_reviewed'");
    assert.equal(audit.rows.length, 1);
    assert.equal(audit.rows[0]?.actor, `operator:${operatorId}`);
    assert.equal(audit.rows[0]?.details.mismatchId, id);
    const flagged = await t.deps.db.query<{ details: Record<string, unknown> }>("SELECT details FROM audit_events WHERE type = 'federated_identity_mismatch'");
    assert.equal(flagged.rows.length, 2);
    assert.ok(flagged.rows.every((row) => row.details.mismatchId === id && !JSON.stringify(row.details).includes('Mario')),
      'the audit trail names the fields, not the asserted data');
  });

  test('a new sign-in after the review opens a new mismatch', async () => {
    await throughTestIdp(t.app, t.deps.config, { level: 2 });
    const open = (await list()).json().mismatches;
    assert.equal(open.length, 1);
    assert.equal(open[0].occurrences, 1);
  });
});
