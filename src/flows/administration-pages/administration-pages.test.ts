// An administration's pages (issue 12) through HTTP as a browser without JavaScript sees them:
// sign-in by token exchanged for a session, CSV upload as a background job, its status page,
// the rejection report, and the list of its own workers only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { adminToken, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { formClient, type FormClient } from '../../../test/helpers/form-client.ts';
import { multipart } from '../../../test/helpers/multipart.ts';
import { workerCodiceFiscale } from '../../../test/helpers/workers.ts';
import { jobsSettled } from './enrolment-jobs.ts';

const cf = (i: number) => workerCodiceFiscale(i);

async function newAdministration(t: TestApp, code: string, name: string): Promise<string> {
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/admin/administrations', headers: { authorization: `Bearer ${adminToken}` },
    payload: { code, name } });
  return created.json().apiToken as string;
}

const csv = '\uFEFF' + [
  'Codice Fiscale;Nome;Cognome;Email;Cellulare',
  `${cf(1)};"Nicolò";"D'Angelo";niccolo@example.it;333 123 4567`,
  `${cf(2)};Maria;Rossi;non-una-email;3331112222`,
  `RSSMRA85T10A562X;Luca;Bianchi;luca@example.it;3331112223`,
  `${cf(3)};Anna;"Dell’Acqua";anna@example.it;3331112224`,
].join('\r\n') + '\r\n';

describe('administration pages', () => {
  let t: TestApp;
  let noipa: string;
  let browser: FormClient;

  const upload = async (client: FormClient, page: LightMyRequestResponse, content: string | Buffer, filename = 'personale.csv') => {
    const action = /action="(\/administration\/uploads\?_csrf=[^"]+)"/.exec(page.body)?.[1];
    assert.ok(action, 'the upload form carries its CSRF token in its action');
    const body = multipart({}, { name: 'file', filename, type: 'text/csv', bytes: Buffer.from(content) });
    const cookie = ['varco_adm', 'varco_csrf'].map((name) => `${name}=${client.cookie(name) ?? ''}`).join('; ');
    return t.app.inject({ method: 'POST', url: action.replaceAll('&amp;', '&'), payload: body.payload, headers: { ...body.headers, cookie } });
  };

  before(async () => {
    t = await startTestApp();
    noipa = await newAdministration(t, 'NOIPA', 'NoiPA');
    await newAdministration(t, 'MIUR', 'Ministero dell’Istruzione');
    browser = formClient(t);
  });
  after(() => t.close());

  test('without a session every page sends to the sign-in page', async () => {
    for (const url of ['/administration', '/administration/workers', `/administration/jobs/${crypto.randomUUID()}`]) {
      const response = await browser.get(url);
      assert.equal(response.statusCode, 303, url);
      assert.equal(response.headers.location, '/administration/signin');
    }
  });

  test('a wrong token is refused on the form; the right one opens a session, not a URL', async () => {
    await browser.get('/administration/signin');
    const wrong = await browser.post('/administration/signin', { token: 'x'.repeat(40) });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /La chiave di accesso non è valida/);
    assert.ok(!wrong.body.includes('x'.repeat(40)), 'the token is not echoed back');
    const citizenToken = await browser.post('/administration/signin', { token: adminToken });
    assert.equal(citizenToken.statusCode, 401, 'the platform admin token is not an administration’s');
    const right = await browser.post('/administration/signin', { token: noipa });
    assert.equal(right.statusCode, 303);
    assert.equal(right.headers.location, '/administration');
    const session = browser.cookie('varco_adm');
    assert.ok(session && session !== noipa && !session.includes(noipa), 'the cookie is a session id, not the token');
    const home = await browser.get('/administration');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Amministrazione: NoiPA/);
    assert.ok(!home.body.includes(noipa));
  });

  test('an upload without its CSRF token is refused and queues nothing', async () => {
    const body = multipart({}, { name: 'file', filename: 'x.csv', type: 'text/csv', bytes: Buffer.from(csv) });
    const forged = await t.app.inject({ method: 'POST', url: '/administration/uploads', payload: body.payload,
      headers: { ...body.headers, cookie: `varco_adm=${browser.cookie('varco_adm')}` } });
    assert.equal(forged.statusCode, 403);
    assert.equal((await t.deps.db.query('SELECT 1 FROM enrolment_jobs')).rows.length, 0);
  });

  test('upload → job status page (refreshing while it runs) → result → rejection CSV', async () => {
    const home = await browser.get('/administration');
    const posted = await upload(browser, home, csv);
    assert.equal(posted.statusCode, 303, posted.body);
    const jobUrl = String(posted.headers.location);
    assert.match(jobUrl, /^\/administration\/jobs\/[0-9a-f-]{36}$/);
    await jobsSettled();
    const done = await browser.get(jobUrl);
    assert.match(done.body, /Elaborazione completata/);
    assert.equal(done.headers.refresh, undefined, 'a finished job stops refreshing');
    assert.match(done.body, /aria-valuenow="100"/);
    assert.match(done.body, /<dt>Nuove iscrizioni<\/dt><dd class="h4">2<\/dd>/);
    assert.match(done.body, /<dt>Righe scartate<\/dt><dd class="h4">2<\/dd>/);
    const report = await browser.get(`${jobUrl}/rejections.csv`);
    assert.equal(report.statusCode, 200);
    assert.match(String(report.headers['content-type']), /^text\/csv/);
    assert.match(String(report.headers['content-disposition']), /^attachment; filename="rejections-[0-9a-f-]+\.csv"$/);
    assert.deepEqual(report.body.replace(/^\uFEFF/, '').trim().split('\r\n'), [
      'row,code,field,description',
      '2,invalid_field,email,Valore non valido',
      '3,invalid_codice_fiscale,codiceFiscale,Codice fiscale non valido',
    ]);
    const css = await browser.get('/administration/progress.css');
    assert.match(css.body, /\.varco-progress-100\{width:100%\}/);
  });

  test('a running job refreshes itself and shows its progress; a silent one is called interrupted', async () => {
    const administrationId = (await t.deps.db.query<{ id: string }>(`SELECT id FROM administrations WHERE code = 'NOIPA'`)).rows[0]!.id;
    const id = crypto.randomUUID();
    await t.deps.db.query(
      `INSERT INTO enrolment_jobs (id, administration_id, state, file_name, file_bytes, bytes_read, rows_read, created, created_at, progress_at)
       VALUES ($1, $2, 'running', 'grande.csv', 1000, 400, 3000, 2990, $3, $3)`, [id, administrationId, t.clock.now()]);
    const running = await browser.get(`/administration/jobs/${id}`);
    assert.equal(running.headers.refresh, '2', 'refreshes itself without JavaScript');
    assert.match(running.body, /href="\/administration\/jobs\/[0-9a-f-]+\?refresh=off">Interrompi l’aggiornamento automatico/, 'and can be stopped');
    const stopped = await browser.get(`/administration/jobs/${id}?refresh=off`);
    assert.equal(stopped.headers.refresh, undefined);
    assert.match(stopped.body, /Aggiorna ora/);
    assert.match(running.body, /class="progress-bar varco-progress-40" role="progressbar" aria-valuenow="40"/);
    assert.match(running.body, /40% del file elaborato/);
    assert.match(running.body, /<link rel="stylesheet" href="\/administration\/progress.css">/);
    t.clock.advance(11 * 60);
    const silent = await browser.get(`/administration/jobs/${id}`);
    assert.match(silent.body, /L’elaborazione si è interrotta/);
    assert.equal(silent.headers.refresh, undefined);
    await t.deps.db.query('DELETE FROM enrolment_jobs WHERE id = $1', [id]);
    await browser.get('/administration/signin'); // the clock moved on: sign in again
    await browser.post('/administration/signin', { token: noipa });
  });

  test('re-uploading the same file: everything unchanged', async () => {
    const posted = await upload(browser, await browser.get('/administration'), csv, 'di-nuovo.csv');
    await jobsSettled();
    const done = await browser.get(String(posted.headers.location));
    assert.match(done.body, /<dt>Invariate<\/dt><dd class="h4">2<\/dd>/);
    const home = await browser.get('/administration');
    assert.match(home.body, /personale\.csv/);
    assert.match(home.body, /di-nuovo\.csv/);
  });

  test('a file without a required column fails with the column named; an empty file is refused', async () => {
    const posted = await upload(browser, await browser.get('/administration'), 'codiceFiscale;nome;cognome;email\nX;A;B;a@b.it\n', 'senza-cellulare.csv');
    await jobsSettled();
    const failed = await browser.get(String(posted.headers.location));
    assert.match(failed.body, /manca la colonna «mobile»/);
    const empty = await upload(browser, await browser.get('/administration'), '', 'vuoto.csv');
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Il file è vuoto/);
  });

  test('the workers list shows only this administration’s workers, with their first-access state', async () => {
    const other = formClient(t);
    await other.get('/administration/signin');
    await other.post('/administration/signin', { token: await newAdministration(t, 'INPS', 'INPS') });
    const theirs = await other.get('/administration/workers');
    assert.equal(theirs.statusCode, 200);
    assert.ok(!theirs.body.includes(cf(1)), 'another administration sees none of NoiPA’s workers');
    const jobId = (await t.deps.db.query<{ id: string }>('SELECT id FROM enrolment_jobs LIMIT 1')).rows[0]!.id;
    assert.equal((await other.get(`/administration/jobs/${jobId}`)).statusCode, 404, 'nor its jobs');
    assert.equal((await other.get(`/administration/jobs/${jobId}/rejections.csv`)).statusCode, 404);

    await t.deps.db.query(`UPDATE accounts SET password_hash = 'x', password_temporary_until = now() WHERE codice_fiscale = $1`, [cf(3)]);
    const list = await browser.get('/administration/workers');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(`${cf(1)}</td><td>Nicolò D&#39;Angelo</td>`));
    assert.match(list.body, /Non ancora effettuato/);
    assert.match(list.body, /Password temporanea inviata/);
    const english = await browser.get('/administration/workers?lang=en');
    assert.match(english.body, /Temporary password sent/);
  });

  test('signing out ends the session', async () => {
    await browser.get('/administration');
    const out = await browser.post('/administration/signout', {});
    assert.equal(out.statusCode, 303);
    assert.equal((await t.app.inject({ method: 'GET', url: '/administration', headers: { cookie: `varco_adm=${browser.cookie('varco_adm') ?? 'gone'}` } })).statusCode, 303);
  });
});
