// Issue 15 defects that HTTP shows as well as a browser would: errors tied to their fields
// with a summary linking to each, the desk form that keeps what the operator chose, the
// rejection email's status link, messages in the reader's language, appointments that
// confirm what was booked and ask before cancelling, no CSRF token in an address.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { activateCitizen, adminToken, mailbox, startTestApp, type TestApp } from '../helpers/app.ts';
import { png } from '../helpers/documents.ts';
import { formClient, type FormClient } from '../helpers/form-client.ts';
import { multipart } from '../helpers/multipart.ts';
import { createOperator } from '../helpers/operator.ts';

const cf = 'RSSMRA85T10A562S';
const password = 'Tramonto-Viola!Sul-Po7';
const operatorCf = 'VRDLGU80A01F205T';
const operatorPassword = 'Sportello#Aperto-2026';

/** The summary links to every field in error, and each field is marked and described. */
function assertFieldErrors(body: string, fields: string[]): void {
  for (const name of fields) {
    assert.match(body, new RegExp(`<a href="#field-${name}">`), `the summary links to ${name}`);
    assert.match(body, new RegExp(`id="field-${name}-error"`), `${name} has its message`);
  }
}

async function submitAssistance(t: TestApp, client: FormClient, fields: Record<string, string>, withDocument: boolean) {
  const page = await client.get('/assistance');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  assert.doesNotMatch(page.body, /action="[^"]*_csrf/, 'the token is never in the form action');
  const body = multipart({ _csrf: csrf, ...fields }, withDocument ? { name: 'document', filename: 'carta.png', type: 'image/png', bytes: png(300, 200) } : undefined);
  const cookie = ['varco_csrf', 'lang'].map((name) => (client.cookie(name) ? `${name}=${client.cookie(name)}` : '')).filter(Boolean).join('; ');
  return t.app.inject({ method: 'POST', url: '/assistance', payload: body.payload, headers: { ...body.headers, cookie } });
}

describe('issue 15 through HTTP', () => {
  let t: TestApp;
  let officeId: string;

  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, { codiceFiscale: cf, firstName: 'Mario', lastName: 'Rossi', email: 'mario@example.it', mobile: '+393331234567', password });
    const operator = await t.app.inject({ method: 'POST', url: '/api/v1/admin/operators', headers: { authorization: `Bearer ${adminToken}` },
      payload: { codiceFiscale: operatorCf, firstName: 'Luigi', lastName: 'Verdi', email: 'operatore@example.it', password: operatorPassword } });
    assert.equal(operator.statusCode, 201, operator.body);
    const office = await t.app.inject({ method: 'POST', url: '/api/v1/admin/offices', headers: { authorization: `Bearer ${adminToken}` },
      payload: { name: 'Sede di Roma', address: 'Via Roma 1', opensAt: '09:00', closesAt: '11:00', slotMinutes: 30 } });
    officeId = office.json().id;
  });
  after(() => t.close());

  test('empty password recovery: the codice fiscale and the email are flagged', async () => {
    const client = formClient(t);
    await client.get('/recovery/password');
    const response = await client.post('/recovery/password', { channel: 'email' });
    assert.equal(response.statusCode, 400);
    assertFieldErrors(response.body, ['codiceFiscale', 'email']);
  });

  test('PIN recovery with one contact: the codice fiscale is kept and the contacts are flagged', async () => {
    const client = formClient(t);
    await client.get('/recovery/pin');
    const response = await client.post('/recovery/pin', { codiceFiscale: cf, mobile: '+393331234567' });
    assert.equal(response.statusCode, 400);
    assertFieldErrors(response.body, ['contacts']);
    assert.match(response.body, new RegExp(`value="${cf}"`));
  });

  test('password change with a wrong current password says so, without speaking of a codice fiscale', async () => {
    const client = formClient(t);
    await client.get('/signin');
    assert.equal((await client.post('/signin', { method: 'password', codiceFiscale: cf, password })).statusCode, 303);
    await client.get('/area/password');
    const response = await client.post('/area/password', { currentPassword: 'Sbagliata-1234!', newPassword: 'Girasole#Lago-Blu42', confirmPassword: 'Girasole#Lago-Blu42' });
    assert.equal(response.statusCode, 401);
    assertFieldErrors(response.body, ['currentPassword']);
    assert.match(response.body, /La password attuale non è corretta/);
    assert.doesNotMatch(response.body, /codice fiscale o/i);
  });

  test('empty assistance form: every field flagged; a sent one leaves a plain address (post/redirect/get)', async () => {
    const client = formClient(t);
    const empty = await submitAssistance(t, client, { category: 'password_reset' }, false);
    assert.equal(empty.statusCode, 400, empty.body.slice(0, 300));
    assertFieldErrors(empty.body, ['codiceFiscale', 'email', 'message', 'document']);
    const sent = await submitAssistance(t, client, { codiceFiscale: cf, email: 'richiesta@example.it', category: 'password_reset', message: 'Ho perso il telefono.' }, true);
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 300));
    assert.equal(sent.headers.location, '/assistance/sent');
  });

  test('appointments: typed values stay, the bad email is flagged; the confirmation says where and when; cancelling asks first', async () => {
    const client = formClient(t);
    await client.get(`/appointments?office=${officeId}&date=2026-11-30&lang=ro`);
    const slot = '2026-11-30T08:30:00.000Z';
    const wrong = await client.post('/appointments', { officeId, date: '2026-11-30', slotStart: slot, codiceFiscale: cf, email: 'non-una-email' });
    assert.equal(wrong.statusCode, 400);
    assertFieldErrors(wrong.body, ['email']);
    assert.match(wrong.body, new RegExp(`value="${cf}"`), 'the codice fiscale stays');
    assert.match(wrong.body, new RegExp(`value="${slot}" checked`), 'the chosen time stays');
    const booked = await client.post('/appointments', { officeId, date: '2026-11-30', slotStart: slot, codiceFiscale: cf, email: 'anna@example.it' });
    assert.equal(booked.statusCode, 200, booked.body.slice(0, 300));
    assert.match(booked.body, /Sede di Roma/);
    assert.match(booked.body, /30 noiembrie 2026/);
    assert.match(booked.body, /09:30/);
    const mail = (await mailbox(t.app, 'anna@example.it')).find((m) => m.kind === 'appointment_confirmed');
    assert.match(mail?.subject ?? '', /Programare confirmată/, 'the email is in the language of the booking');
    const manage = /\/appointments\/manage\/(\S+)/.exec(mail!.text)![1]!;
    const taken = await client.post('/appointments', { officeId, date: '2026-11-30', slotStart: slot, codiceFiscale: cf, email: 'altra@example.it' });
    assert.equal(taken.statusCode, 409, 'a taken slot');
    const confirm = await client.get(`/appointments/manage/${manage}/cancel`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /method="post" action="\/appointments\/manage\/[^"]+\/cancel"/, 'a GET only asks');
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/appointments/${manage}` })).json().status, 'booked', 'nothing cancelled yet');
    const cancelled = await client.post(`/appointments/manage/${manage}/cancel`, {});
    assert.equal(cancelled.statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/appointments/${manage}` })).json().status, 'cancelled');
  });

  test('a taken slot explains itself in plain words', async () => {
    const client = formClient(t);
    const slot = '2026-11-30T09:00:00.000Z';
    await client.get(`/appointments?office=${officeId}&date=2026-11-30`);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/appointments', payload: { officeId, slotStart: slot, codiceFiscale: cf, email: 'primo@example.it' } })).statusCode, 201);
    const taken = await client.post('/appointments', { officeId, date: '2026-11-30', slotStart: slot, codiceFiscale: cf, email: 'secondo@example.it' });
    assert.equal(taken.statusCode, 409);
    assert.match(taken.body, /appena prenotato da un’altra persona/);
  });

  test('desk: a rejection needs no identity tick, keeps what was chosen on error, and emails a status link in the request language', async () => {
    const citizen = formClient(t);
    await citizen.get('/assistance?lang=en');
    const sent = await submitAssistance(t, citizen, { codiceFiscale: cf, email: 'illeggibile@example.it', category: 'pin_request', message: 'Lost my PIN.' }, true);
    assert.equal(sent.statusCode, 303);
    const confirmLink = (await mailbox(t.app, 'illeggibile@example.it')).find((m) => m.kind === 'assistance_confirm')!.text;
    const token = /\/assistance\/confirm\/([A-Za-z0-9_-]+)/.exec(confirmLink)![1]!;
    const { requestId } = (await t.app.inject({ method: 'POST', url: '/api/v1/assistance/confirm', payload: { token } })).json();
    const desk = formClient(t);
    await desk.get('/desk/signin');
    assert.equal((await desk.post('/desk/signin', { codiceFiscale: operatorCf, password: operatorPassword })).statusCode, 303);
    await desk.get(`/desk/requests/${requestId}`);
    const noOutcome = await desk.post(`/desk/requests/${requestId}/resolve`, { note: 'Documento illeggibile.' });
    assert.equal(noOutcome.statusCode, 400, 'no outcome is no silent temporary password');
    assertFieldErrors(noOutcome.body, ['outcome']);
    assert.match(noOutcome.body, /Documento illeggibile\./, 'the note stays');
    const noReason = await desk.post(`/desk/requests/${requestId}/resolve`, { outcome: 'rejected' });
    assert.equal(noReason.statusCode, 400);
    assertFieldErrors(noReason.body, ['note']);
    assert.match(noReason.body, /id="outcome-rejected" value="rejected" checked/, 'the outcome stays');
    const rejected = await desk.post(`/desk/requests/${requestId}/resolve`, { outcome: 'rejected', note: 'The document cannot be read.' });
    assert.equal(rejected.statusCode, 303, rejected.body.slice(0, 300));
    const mail = (await mailbox(t.app, 'illeggibile@example.it')).find((m) => m.kind === 'assistance_rejected');
    assert.match(mail?.subject ?? '', /Your assistance request was not accepted/);
    const status = /https?:\/\/\S+(\/assistance\/confirm\/\S+)/.exec(mail!.text)![1]!;
    const page = await citizen.get(`${status}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Not accepted: we emailed you the reason\./);
    assert.doesNotMatch(page.body, /enctype="multipart\/form-data"/, 'not a new-request form');
  });

  test('messages go out in the language the account holder reads the pages in', async () => {
    const client = formClient(t);
    await client.get('/signin?lang=en');
    const signedIn = await client.post('/signin', { method: 'password', codiceFiscale: cf, password });
    assert.equal(signedIn.statusCode, 303, signedIn.body.slice(signedIn.body.indexOf('<main'), signedIn.body.indexOf('<main') + 1500));
    await client.get('/area');
    const before = (await mailbox(t.app, 'mario@example.it')).length;
    await client.get('/area/password');
    const changed = await client.post('/area/password', { currentPassword: password, newPassword: 'Girasole#Lago-Blu42', confirmPassword: 'Girasole#Lago-Blu42' });
    assert.match(changed.body, /Password changed\./);
    const mail = (await mailbox(t.app, 'mario@example.it')).slice(before).find((m) => m.kind === 'credential_changed');
    assert.match(mail?.subject ?? '', /Your credentials have changed/);
    // Later, signed out, a recovery by SMS still speaks the account's language.
    const anonymous = formClient(t);
    await anonymous.get('/recovery/password?lang=it');
    await anonymous.post('/recovery/password', { codiceFiscale: cf, channel: 'sms', mobile: '3331234567' });
    const sms = (await mailbox(t.app, '+393331234567')).filter((m) => m.kind === 'password_reset_code').at(-1);
    assert.ok(sms, 'a code was sent');
    assert.doesNotMatch(sms.text, /codice|Codice/, `not Italian: ${sms.text}`);
  });

  test('sign-in says how many attempts are left, the same for an unknown codice fiscale; the lock says until when and the ways out', async () => {
    const attempt = async (codiceFiscale: string) => {
      const client = formClient(t);
      await client.get('/signin');
      return client.post('/signin', { method: 'password', codiceFiscale, password: 'Sbagliata-1234!' });
    };
    const text = (body: string) => /alert alert-danger" role="alert">([^<]*)/.exec(body)?.[1];
    await activateCitizen(t.app, { codiceFiscale: 'BNCGLI90C55H501W', firstName: 'Giulia', lastName: 'Bianchi', email: 'giulia@example.it', password: 'Girasole#Lago-Blu42' });
    const known = await attempt('BNCGLI90C55H501W');
    const unknown = await attempt('MRTMTT91D08F205J');
    assert.equal(text(known.body), 'Codice fiscale o credenziali non corretti. Ti restano 4 tentativi prima del blocco temporaneo dell’utenza.');
    assert.equal(text(unknown.body), text(known.body), 'an unknown codice fiscale reads the same');
    for (let i = 0; i < 4; i++) await attempt('MRTMTT91D08F205J');
    const locked = await attempt('MRTMTT91D08F205J');
    assert.equal(locked.statusCode, 423);
    assert.match(locked.body, /bloccata fino alle \d{2}\/\d{2}\/\d{2}, \d{2}:\d{2}/);
    assert.match(locked.body, /<a href="\/recovery\/password">Recupera la password<\/a>/);
    assert.match(locked.body, /<a href="\/assistance">Chiedi aiuto all’assistenza<\/a>/);
  });

  test('desk: the citizen file shows what to compare with the document; failed messages can be sent again (page and API)', async () => {
    await t.deps.db.transaction((tx) => t.deps.outbox.enqueue(tx, { channel: 'email', to: 'mario@example.it', kind: 'credential_changed', language: 'it',
      params: { what: 'password', at: t.clock.now().toISOString(), ip: '203.0.113.9' } }));
    await t.deps.db.query("UPDATE outbox SET status = 'failed', last_error = 'mailbox full' WHERE recipient = 'mario@example.it' AND kind = 'credential_changed' AND status = 'pending'");
    const token = await createOperator(t.app, 'FRRLCU80A41L219G');
    const auth = { authorization: `Bearer ${token}` };
    const listed = await t.app.inject({ method: 'GET', url: `/api/v1/desk/accounts/${cf}/messages`, headers: auth });
    assert.equal(listed.statusCode, 200, listed.body);
    const failed = (listed.json().messages as { id: string; kind: string; resendable: boolean }[]).filter((m) => m.kind === 'credential_changed');
    assert.ok(failed.length >= 1 && failed.every((m) => m.resendable));
    const desk = formClient(t);
    await desk.get('/desk/signin');
    await desk.post('/desk/signin', { codiceFiscale: operatorCf, password: operatorPassword });
    const page = await desk.get(`/desk/citizens?codiceFiscale=${cf}`);
    assert.equal(page.statusCode, 200);
    for (const expected of ['Mario Rossi', 'A562', 'mario@example.it', '+393331234567', 'mailbox full', 'Avviso di credenziale cambiata', 'Invia di nuovo', 'Richieste precedenti', 'href="/desk"']) {
      assert.ok(page.body.includes(expected), `the file shows ${expected}`);
    }
    assert.ok(!page.body.includes('credential_changed'), 'the message is named in words, not by its internal kind');
    const resent = await desk.post(`/desk/citizens/${cf}/messages/${failed[0]!.id}/resend`, {});
    assert.equal(resent.statusCode, 303, resent.body.slice(0, 200));
    const status = (await t.deps.db.query<{ status: string }>('SELECT status FROM outbox WHERE id = $1', [failed[0]!.id])).rows[0]!.status;
    assert.equal(status, 'pending');
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/desk/accounts/${cf}/messages/${failed[0]!.id}/resend`, headers: auth });
    assert.equal(again.statusCode, 409, 'already queued');
    const notFound = await desk.get('/desk/citizens?codiceFiscale=MRTMTT91D08F205J');
    assert.equal(notFound.statusCode, 404);
    assert.match(page.body, /<a href="\/desk\/requests\/[^"]+">\d{2}\/\d{2}\/\d{4} · /, 'the history, dated in Italian format');
    const openapi = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    assert.ok(openapi.paths['/api/v1/desk/accounts/{codiceFiscale}/messages/{messageId}/resend'], 'documented in openapi');
  });
});
