// The assistance desk through the API (issue 6): requests with documents, confirmation and
// expiry, the operator queue, resolution, the phone path and document retention.
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { after, before, describe, test } from 'node:test';
import { expireAndPurgeRequests } from '../../src/flows/assistance/assistance.steps.ts';
import { adminToken, mailbox, registerCitizen, startTestApp, type TestApp } from '../helpers/app.ts';
import { jpeg, pdf, png, renamedExecutable } from '../helpers/documents.ts';
import { multipart } from '../helpers/multipart.ts';
import { createOperator } from '../helpers/operator.ts';

const cf = 'RSSMRA85T10A562S';
const fields = { codiceFiscale: cf, email: 'nuova@example.it', category: 'password_reset', message: 'Non ho più accesso alla mia email.' };

function fileRequest(t: TestApp, bytes: Buffer, filename = 'documento.pdf', type = 'application/pdf', extra: Record<string, string> = {}) {
  const body = multipart({ ...fields, ...extra }, { name: 'document', filename, type, bytes });
  return t.app.inject({ method: 'POST', url: '/api/v1/assistance/requests', ...body });
}

async function confirmLink(t: TestApp, to = fields.email): Promise<string> {
  const mail = (await mailbox(t.app, to)).filter((m) => m.kind === 'assistance_confirm').at(-1);
  const token = /\/assistance\/confirm\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
  assert.ok(token, 'a confirmation link was emailed');
  return token;
}

const confirm = (t: TestApp, token: string) => t.app.inject({ method: 'POST', url: '/api/v1/assistance/confirm', payload: { token } });

describe('assistance requests', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  test('PDF, JPEG and PNG documents are accepted, whatever the account', async () => {
    for (const [bytes, name, type] of [[pdf(), 'a.pdf', 'application/pdf'], [jpeg(), 'a.jpg', 'image/jpeg'], [png(), 'a.png', 'image/png']] as const) {
      const response = await fileRequest(t, bytes, name, type);
      assert.equal(response.statusCode, 202, response.body);
      assert.match(response.json().requestId, /^[0-9a-f-]{36}$/);
    }
    assert.equal((await mailbox(t.app, fields.email)).filter((m) => m.kind === 'assistance_confirm').length, 3);
  });

  test('a renamed executable, an oversized file and a truncated image are refused', async () => {
    const truncated = png().subarray(0, 60);
    for (const [bytes, name] of [[renamedExecutable(), 'passport.jpg'], [Buffer.concat([pdf(), Buffer.alloc(5 * 1024 * 1024)]), 'big.pdf'], [truncated, 'cut.png']] as const) {
      const response = await fileRequest(t, bytes, name, 'image/jpeg');
      assert.equal(response.statusCode, 400, name);
      assert.equal(response.json().code, 'invalid_document', name);
    }
  });

  test('confirmation gives the due date in Italian working days; the link then shows the status', async () => {
    await fileRequest(t, pdf());
    const token = await confirmLink(t);
    const confirmed = await confirm(t, token);
    assert.equal(confirmed.statusCode, 200);
    assert.equal(confirmed.json().status, 'confirmed');
    assert.equal(confirmed.json().dueBy, '2026-12-01', 'Tuesday 24 November + 5 working days');
    assert.deepEqual((await confirm(t, token)).json(), confirmed.json(), 'confirming again changes nothing');
    const page = await t.app.inject({ method: 'GET', url: `/assistance/confirm/${token}` });
    assert.match(page.body, /1 dicembre 2026/);
  });

  test('an unconfirmed request expires after 48 hours', async () => {
    await fileRequest(t, pdf());
    const token = await confirmLink(t);
    t.clock.advance(48 * 3600 + 1);
    const late = await confirm(t, token);
    assert.deepEqual([late.statusCode, late.json().code], [410, 'token_expired']);
    assert.equal((await confirm(t, 'x'.repeat(43))).json().code, 'token_invalid');
  });
});

describe('operators', () => {
  let t: TestApp;
  let operator: string;
  before(async () => {
    t = await startTestApp();
    operator = await createOperator(t.app);
    await registerCitizen(t.app, { codiceFiscale: cf, email: 'vecchia@example.it', mobile: '+393331234567', temporaryPassword: 'Provvisoria-2026' });
  });
  after(() => t.close());

  const auth = () => ({ authorization: `Bearer ${operator}` });
  const queue = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/desk/requests?status=confirmed', headers: auth() })).json().requests as { id: string; dueBy: string }[];
  const resolve = (id: string, body: object) => t.app.inject({ method: 'POST', url: `/api/v1/desk/requests/${id}/resolve`, headers: auth(), payload: body });

  async function confirmedRequest(extra: Record<string, string> = {}): Promise<string> {
    const { requestId } = (await fileRequest(t, png(), 'id.png', 'image/png', extra)).json();
    await confirm(t, await confirmLink(t, extra.email ?? fields.email));
    return requestId;
  }

  test('only operators see the queue; it is ordered by due date', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/desk/requests' })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/desk/requests', headers: { authorization: `Bearer ${adminToken}` } })).statusCode, 403);
    const first = await confirmedRequest();
    t.clock.advance(86400);
    const second = await confirmedRequest();
    const entries = await queue();
    assert.deepEqual(entries.map((e) => e.id), [first, second]);
    assert.ok(entries[0]!.dueBy < entries[1]!.dueBy);
  });

  test('the document is served as an attachment, as Varco rewrote it (S29)', async () => {
    const id = await confirmedRequest();
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/desk/requests/${id}/document`, headers: auth() });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-disposition']), /^attachment; filename="[A-Za-z0-9_-]+\.png"$/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['content-type'], 'image/png');
    const served = await sharp(response.rawPayload).metadata();
    assert.deepEqual([served.format, served.width, served.height], ['png', 300, 200], 'the same picture, re-encoded');
  });

  test('resolving needs a recorded identity check', async () => {
    const id = await confirmedRequest();
    const response = await resolve(id, { outcome: 'temporary_password', note: 'nessuna verifica' });
    assert.deepEqual([response.statusCode, response.json().code], [400, 'identity_not_verified']);
  });

  test('temporary password to the registered email; the citizen must change it; the request closes', async () => {
    const id = await confirmedRequest();
    const response = await resolve(id, { outcome: 'temporary_password', identityVerified: true, note: 'carta d’identità conforme' });
    assert.deepEqual(response.json(), { id, status: 'resolved' });
    const mail = (await mailbox(t.app, 'vecchia@example.it')).filter((m) => m.kind === 'temporary_password').at(-1);
    const password = /:\n(\S+)\n/.exec(mail?.text ?? '')?.[1];
    assert.ok(password);
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } });
    assert.deepEqual(signIn.json().requiredActions, ['change_password']);
    assert.ok(!(await queue()).some((entry) => entry.id === id));
    assert.equal((await resolve(id, { outcome: 'rejected', identityVerified: true, note: 'x' })).statusCode, 409);
  });

  test('a citizen who lost the email: the request email becomes the registered one, the old one is told', async () => {
    const id = await confirmedRequest({ email: 'ritrovata@example.it' });
    const response = await resolve(id, { outcome: 'temporary_password', identityVerified: true, note: 'documento e foto conformi', updateEmail: true });
    assert.equal(response.statusCode, 200);
    assert.ok((await mailbox(t.app, 'ritrovata@example.it')).some((m) => m.kind === 'temporary_password'));
    assert.ok((await mailbox(t.app, 'vecchia@example.it')).some((m) => m.kind === 'contact_changed'));
  });

  test('a PIN in two halves, and a rejection with its reason', async () => {
    const pinRequest = await confirmedRequest({ email: 'ritrovata@example.it' });
    assert.equal((await resolve(pinRequest, { outcome: 'pin_issued', identityVerified: true, note: 'ok' })).statusCode, 200);
    assert.ok((await mailbox(t.app, '+393331234567')).some((m) => m.kind === 'pin_first_half'));
    const rejected = await confirmedRequest({ email: 'respinta@example.it' });
    assert.deepEqual((await resolve(rejected, { outcome: 'rejected', identityVerified: true, note: 'Il documento è scaduto.' })).json(), { id: rejected, status: 'rejected' });
    const mail = (await mailbox(t.app, 'respinta@example.it')).find((m) => m.kind === 'assistance_rejected');
    assert.match(mail?.text ?? '', /Il documento è scaduto\./);
  });

  test('the phone path: a temporary password after a recorded check; unknown accounts are named', async () => {
    const url = (who: string) => `/api/v1/desk/accounts/${who}/temporary-password`;
    const ok = await t.app.inject({ method: 'POST', url: url(cf), headers: auth(), payload: { identityVerified: true, note: 'domande di verifica al telefono' } });
    assert.equal(ok.statusCode, 202);
    const unknown = await t.app.inject({ method: 'POST', url: url('MRTMTT91D08F205J'), headers: auth(), payload: { identityVerified: true, note: 'x' } });
    assert.deepEqual([unknown.statusCode, unknown.json().code], [404, 'account_not_found']);
    const unverified = await t.app.inject({ method: 'POST', url: url(cf), headers: auth(), payload: { note: 'x' } });
    assert.equal(unverified.json().code, 'identity_not_verified');
  });

  test('an operator cannot act on their own account', async () => {
    await registerCitizen(t.app, { codiceFiscale: 'VRDLGU80A01F205T', email: 'luigi@example.it', temporaryPassword: 'Provvisoria-2026' });
    const own = await t.app.inject({ method: 'POST', url: '/api/v1/desk/accounts/VRDLGU80A01F205T/temporary-password', headers: auth(),
      payload: { identityVerified: true, note: 'x' } });
    assert.deepEqual([own.statusCode, own.json().code], [403, 'forbidden']);
  });

  test('documents are deleted 30 days after the request closes', async () => {
    const id = await confirmedRequest({ email: 'ritrovata@example.it' });
    await resolve(id, { outcome: 'rejected', identityVerified: true, note: 'x' });
    t.clock.advance(29 * 86400);
    await expireAndPurgeRequests(t.deps);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/desk/requests/${id}/document`, headers: auth() })).statusCode, 200);
    t.clock.advance(2 * 86400);
    await expireAndPurgeRequests(t.deps);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/desk/requests/${id}/document`, headers: auth() })).statusCode, 404);
  });

  test('every desk action is in the audit trail with the operator', async () => {
    const rows = await t.deps.db.query<{ actor: string }>("SELECT actor FROM audit_events WHERE type = 'desk_identity_verified'");
    assert.ok(rows.rows.length >= 4);
    assert.ok(rows.rows.every((row) => /^operator:[0-9a-f-]{36}$/.test(row.actor)));
  });
});
