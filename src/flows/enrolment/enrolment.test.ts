// Enrolment API (issue 12): CSV and JSON, per-row rejections, idempotent re-sends, workers
// shared by administrations and each administration seeing only its own.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { adminToken, mailbox, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { workerCodiceFiscale } from '../../../test/helpers/workers.ts';

async function newAdministration(t: TestApp, code: string, name: string): Promise<string> {
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/admin/administrations', headers: { authorization: `Bearer ${adminToken}` },
    payload: { code, name } });
  assert.equal(created.statusCode, 201, created.body);
  return created.json().apiToken as string;
}

function enrolCsv(t: TestApp, token: string, csv: string | Buffer) {
  return t.app.inject({ method: 'POST', url: '/api/v1/enrolments', payload: csv,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv; charset=utf-8' } });
}

function enrolJson(t: TestApp, token: string, workers: object[]) {
  return t.app.inject({ method: 'POST', url: '/api/v1/enrolments', payload: { workers }, headers: { authorization: `Bearer ${token}` } });
}

async function workersOf(t: TestApp, token: string) {
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/enrolments/workers', headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().workers as { codiceFiscale: string; firstName: string; lastName: string; email: string; mobile: string; firstAccess: string }[];
}

const cf = (i: number) => workerCodiceFiscale(i);

describe('enrolment', () => {
  let t: TestApp;
  let noipa: string;
  let scuola: string;
  before(async () => {
    t = await startTestApp();
    noipa = await newAdministration(t, 'NOIPA', 'NoiPA');
    scuola = await newAdministration(t, 'MIUR', 'Ministero dell’Istruzione');
  });
  after(() => t.close());

  test('only an administration token may enrol', async () => {
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/enrolments', payload: { workers: [] } })).statusCode, 401);
    const asAdmin = await enrolJson(t, adminToken, []);
    assert.equal(asAdmin.statusCode, 403);
    assert.equal(asAdmin.json().code, 'forbidden');
  });

  test('a CSV with BOM, semicolons, quotes and accents: good rows stored, bad rows reported', async () => {
    const csv = '\uFEFF' + [
      'Codice Fiscale;Nome;Cognome;Email;Cellulare;Data di nascita;Note',
      `${cf(1)};"Nicolò";"D'Angelo";niccolo@example.it;333 123 4567;10/12/1985;`,
      `${cf(2).toLowerCase()};"Maria Grazia";"Dell’Acqua";MARIA@Example.it;+39 347-765.4321;;"sede di ""Roma""; 2° piano"`,
      'RSSMRA85T10A562X;Luca;Bianchi;luca@example.it;3331112222;;', // wrong check character
      `${cf(3)};Anna;Verdi;non-una-email;3331112223;;`,
      `${cf(4)};Anna;Verdi;anna@example.it;12;;`,
      `${cf(5)};;Verdi;anna5@example.it;3331112225;;`,
      `${cf(6)};Anna;Verdi`,
      `${cf(1)};Nicolò;D'Angelo;niccolo@example.it;3331234567;;`, // the same worker twice in a file
      `${cf(7)};Anna;Verdi;anna7@example.it;3331112227;31/02/1990;`,
      `${cf(8)};Élodie;N’Diaye-Rossi;elodie@example.it;0039 333 444 5555;1990-05-17;`,
    ].join('\r\n');
    const response = await enrolCsv(t, noipa, Buffer.from(csv, 'utf8'));
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), {
      created: 3, updated: 0, unchanged: 0,
      rejected: [
        { row: 3, code: 'invalid_codice_fiscale', field: 'codiceFiscale' },
        { row: 4, code: 'invalid_field', field: 'email' },
        { row: 5, code: 'invalid_field', field: 'mobile' },
        { row: 6, code: 'missing_field', field: 'firstName' },
        { row: 7, code: 'malformed_row' },
        { row: 8, code: 'duplicate_row', field: 'codiceFiscale' },
        { row: 9, code: 'invalid_field', field: 'birthDate' },
      ],
    });
    const workers = await workersOf(t, noipa);
    const maria = workers.find((w) => w.codiceFiscale === cf(2));
    assert.deepEqual(maria && { ...maria, enrolledAt: undefined }, {
      codiceFiscale: cf(2), firstName: 'Maria Grazia', lastName: 'Dell’Acqua', email: 'maria@example.it',
      mobile: '+393477654321', enrolledAt: undefined, firstAccess: 'awaiting_first_access',
    });
    assert.equal(workers.find((w) => w.codiceFiscale === cf(1))?.firstName, 'Nicolò');
    assert.equal(workers.find((w) => w.codiceFiscale === cf(8))?.lastName, 'N’Diaye-Rossi');
    assert.equal(workers.find((w) => w.codiceFiscale === cf(8))?.mobile, '+393334445555');
  });

  test('each newly registered email gets the no-reply enrolment notice', async () => {
    const [notice, ...more] = await mailbox(t.app, 'niccolo@example.it');
    assert.equal(more.length, 0);
    assert.equal(notice?.kind, 'enrolment_notice');
    assert.match(notice!.text, /NoiPA/);
    assert.match(notice!.text, /http:\/\/\S+\/assistance/);
    assert.equal((await mailbox(t.app, 'anna@example.it')).length, 0, 'rejected rows get nothing');
  });

  test('enrolled workers have no password and the completion actions pending', async () => {
    const account = await t.deps.db.query<{ password_hash: string | null; pending_actions: string[]; birth_date: Date }>(
      'SELECT password_hash, pending_actions, birth_date FROM accounts WHERE codice_fiscale = $1', [cf(1)]);
    assert.equal(account.rows[0]?.password_hash, null);
    assert.deepEqual(account.rows[0]?.pending_actions, ['verify_email', 'set_security_question', 'verify_mobile']);
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf(1), password: 'Qualsiasi-2026!' } });
    assert.equal(signIn.statusCode, 401, 'no password, no sign-in');
  });

  test('re-sending the same rows changes nothing and sends nothing', async () => {
    const workers = [
      { codiceFiscale: cf(20), firstName: 'Giuseppe', lastName: 'Esposito', email: 'giuseppe@example.it', mobile: '3331112220' },
      { codiceFiscale: cf(21), firstName: 'Chiara', lastName: 'Russo', email: 'chiara@example.it', mobile: '3331112221', birthDate: '1985-12-10' },
    ];
    assert.deepEqual((await enrolJson(t, noipa, workers)).json(), { created: 2, updated: 0, unchanged: 0, rejected: [] });
    assert.deepEqual((await enrolJson(t, noipa, workers)).json(), { created: 0, updated: 0, unchanged: 2, rejected: [] });
    const csv = `codiceFiscale,firstName,lastName,email,mobile,birthDate\n${cf(20)},Giuseppe,Esposito,giuseppe@example.it,+393331112220,\n`;
    assert.deepEqual((await enrolCsv(t, noipa, csv)).json(), { created: 0, updated: 0, unchanged: 1, rejected: [] }, 'same data, other format');
    const moved = [{ ...workers[0]!, email: 'g.esposito@example.it' }];
    assert.deepEqual((await enrolJson(t, noipa, moved)).json(), { created: 0, updated: 1, unchanged: 0, rejected: [] });
    assert.equal((await mailbox(t.app, 'giuseppe@example.it')).length, 1, 'one notice, not one a send');
    assert.equal((await mailbox(t.app, 'g.esposito@example.it')).length, 1, 'the new address of an unclaimed account is told');
  });

  test('two administrations enrol the same worker: one account, two memberships, each sees its own', async () => {
    const worker = { codiceFiscale: cf(30), firstName: 'Francesca', lastName: 'Romano', email: 'francesca@example.it', mobile: '3331112230' };
    assert.equal((await enrolJson(t, noipa, [worker])).json().created, 1);
    assert.equal((await enrolJson(t, scuola, [worker, { ...worker, codiceFiscale: cf(31), email: 'solo.scuola@example.it' }])).json().created, 2);
    const accounts = await t.deps.db.query('SELECT id FROM accounts WHERE codice_fiscale = $1', [cf(30)]);
    assert.equal(accounts.rows.length, 1);
    const notices = await mailbox(t.app, 'francesca@example.it');
    assert.deepEqual(notices.map((m) => /NoiPA|Istruzione/.exec(m.text)?.[0]), ['NoiPA', 'Istruzione'], 'each administration announces itself');
    const seenByScuola = (await workersOf(t, scuola)).map((w) => w.codiceFiscale);
    assert.deepEqual(seenByScuola, [cf(30), cf(31)].sort());
    const seenByNoipa = (await workersOf(t, noipa)).map((w) => w.codiceFiscale);
    assert.ok(seenByNoipa.includes(cf(30)) && !seenByNoipa.includes(cf(31)), 'an administration sees only its own workers');
  });

  test('notices of one chunk in different languages each get their own text', async () => {
    const worker = { codiceFiscale: cf(50), firstName: 'Ioana', lastName: 'Popescu', email: 'ioana@example.it', mobile: '3331112250' };
    assert.equal((await enrolJson(t, noipa, [worker])).json().created, 1);
    await t.deps.db.query(`UPDATE accounts SET language = 'en' WHERE codice_fiscale = $1`, [cf(50)]);
    const fresh = { codiceFiscale: cf(51), firstName: 'Paolo', lastName: 'Neri', email: 'paolo@example.it', mobile: '3331112251' };
    assert.equal((await enrolJson(t, scuola, [worker, fresh])).json().created, 2);
    const english = (await mailbox(t.app, 'ioana@example.it')).at(-1);
    assert.match(english!.text, /registered this email address/);
    assert.match(english!.text, /Istruzione/);
    const italian = (await mailbox(t.app, 'paolo@example.it')).at(-1);
    assert.match(italian!.text, /ha registrato questo indirizzo email/);
  });

  test('a claimed account keeps its contacts whatever a file says', async () => {
    await t.deps.db.query(`UPDATE accounts SET password_hash = 'x', email_verified = true WHERE codice_fiscale = $1`, [cf(30)]);
    const moved = { codiceFiscale: cf(30), firstName: 'Francesca', lastName: 'Romano', email: 'attacker@example.it', mobile: '3331112230' };
    assert.equal((await enrolJson(t, noipa, [moved])).json().updated, 1, 'the administration’s own record changes');
    const account = await t.deps.db.query<{ email: string }>('SELECT email FROM accounts WHERE codice_fiscale = $1', [cf(30)]);
    assert.equal(account.rows[0]?.email, 'francesca@example.it');
    assert.equal((await mailbox(t.app, 'attacker@example.it')).length, 0);
  });

  test('a header without a required column → 400 and nothing stored', async () => {
    const response = await enrolCsv(t, noipa, `codiceFiscale;nome;email\n${cf(40)};Anna;anna40@example.it\n`);
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'invalid_request');
    assert.equal((await t.deps.db.query('SELECT 1 FROM accounts WHERE codice_fiscale = $1', [cf(40)])).rows.length, 0);
  });

  test('an unclosed quote ends the file: earlier rows stand, the report says where', async () => {
    const response = await enrolCsv(t, noipa, `${['codiceFiscale,firstName,lastName,email,mobile',
      `${cf(41)},Anna,Neri,anna41@example.it,3331112241`, `${cf(42)},"Anna,Neri,anna42@example.it,3331112242`].join('\n')}\n`);
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { created: 1, updated: 0, unchanged: 0, rejected: [{ row: 2, code: 'malformed_csv' }] });
  });

  test('a JSON body with unknown fields or wrong types → 400; other content types → 415', async () => {
    assert.equal((await enrolJson(t, noipa, [{ codiceFiscale: cf(43), role: 'admin' }])).statusCode, 400);
    assert.equal((await enrolJson(t, noipa, [{ codiceFiscale: 43 }])).statusCode, 400);
    const xml = await t.app.inject({ method: 'POST', url: '/api/v1/enrolments', payload: '<workers/>',
      headers: { authorization: `Bearer ${noipa}`, 'content-type': 'application/xml' } });
    assert.equal(xml.statusCode, 415);
  });
  test('rows after the 100,000th are refused once, the ones before are checked', async () => {
    function* lines() {
      yield 'codiceFiscale,firstName,lastName,email,mobile\n';
      for (let i = 0; i < 100_001; i += 1000) yield 'X,A,B,a@b.it,3331234567\n'.repeat(Math.min(1000, 100_001 - i));
    }
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/enrolments', payload: Readable.from(lines()),
      headers: { authorization: `Bearer ${noipa}`, 'content-type': 'text/csv' } });
    assert.equal(response.statusCode, 200);
    const { rejected } = response.json() as { rejected: { row: number; code: string }[] };
    assert.equal(rejected.length, 100_001);
    assert.deepEqual(rejected.at(-1), { row: 100_001, code: 'too_many_rows' });
    assert.equal(rejected.at(-2)?.code, 'invalid_codice_fiscale');
  });
});
