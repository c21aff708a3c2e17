// Operator PIN routes (shared/API.md "Assistance desk"): issue and revoke for a citizen
// identified on the phone or at the office (S34). They live in src/flows/pin/pin-desk.routes.ts
// until the desk takes them over; this file goes with them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, mailbox, registerCitizen, startTestApp, type TestApp } from '../helpers/app.ts';
import { createOperator } from '../helpers/operator.ts';
import { issuedPin, registerPinCitizen, signInWithPin } from '../helpers/pin.ts';

describe('desk PIN routes', () => {
  let t: TestApp;
  let operator: string;
  before(async () => {
    t = await startTestApp();
    operator = await createOperator(t.app);
  });
  after(() => t.close());

  const issue = (codiceFiscale: string, body: object = { identityVerified: true, note: 'documento verificato allo sportello' }, token = operator) =>
    t.app.inject({ method: 'POST', url: `/api/v1/desk/accounts/${codiceFiscale}/pin`, headers: { authorization: `Bearer ${token}` }, payload: body });

  test('an operator issues a PIN in two halves without seeing it, after recording the identity check', async () => {
    const citizen = await registerPinCitizen(t, 1);
    const unverified = await issue(citizen.codiceFiscale, { note: 'al telefono' });
    assert.deepEqual([unverified.statusCode, unverified.json().code], [400, 'identity_not_verified']);
    const issued = await issue(citizen.codiceFiscale);
    assert.equal(issued.statusCode, 202);
    assert.deepEqual(issued.json(), { status: 'accepted' }, 'the answer carries no PIN (S34)');
    const pin = await issuedPin(t, citizen);
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, pin)).statusCode, 200);
  });

  test('unknown accounts are named; own account, other roles and bad tokens are refused', async () => {
    const unknown = await issue('MRTMTT91D08F205J');
    assert.deepEqual([unknown.statusCode, unknown.json().code], [404, 'account_not_found']);
    await registerCitizen(t.app, { codiceFiscale: 'VRDLGU80A01F205T', email: 'luigi@example.it', mobile: '+393470000000', temporaryPassword: 'Provvisoria-2026' });
    const own = await issue('VRDLGU80A01F205T');
    assert.deepEqual([own.statusCode, own.json().code], [403, 'forbidden']);
    assert.equal((await issue('VRDLGU80A01F205T', undefined, adminToken)).statusCode, 403);
    assert.equal((await issue('VRDLGU80A01F205T', undefined, 'not-a-real-token-0000000000')).statusCode, 401);
    assert.equal((await mailbox(t.app, '+393470000000')).length, 0, 'nothing was sent');
  });

  test('an operator revokes a PIN', async () => {
    const citizen = await registerPinCitizen(t, 2);
    await issue(citizen.codiceFiscale);
    const pin = await issuedPin(t, citizen);
    const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/desk/accounts/${citizen.codiceFiscale}/pin/revoke`,
      headers: { authorization: `Bearer ${operator}` } });
    assert.equal(revoked.statusCode, 204);
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, pin)).statusCode, 401);
  });
});
