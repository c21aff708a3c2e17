// 100,000 workers in one CSV request (issue 12), on PGlite and, with TEST_DATABASE_URL, on
// PostgreSQL. Not timed here: `npm run bench -- enrolment` times it.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { adminToken, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { workerCodiceFiscale, workerCsv } from '../../../test/helpers/workers.ts';

const rows = 100_000;
let t: TestApp;
let token: string;
before(async () => {
  t = await startTestApp();
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/admin/administrations', headers: { authorization: `Bearer ${adminToken}` },
    payload: { code: 'NOIPA', name: 'NoiPA' } });
  token = created.json().apiToken;
});
after(() => t.close());

test('100,000 rows in one streamed CSV request: every worker stored, every notice queued', { timeout: 10 * 60_000 }, async () => {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/enrolments', payload: Readable.from(workerCsv(rows)),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } });
  assert.equal(response.statusCode, 200, response.body);
  assert.deepEqual(response.json(), { created: rows, updated: 0, unchanged: 0, rejected: [] });
  const counts = await t.deps.db.query<{ accounts: string; members: string; notices: string }>(
    `SELECT (SELECT count(*) FROM accounts) AS accounts, (SELECT count(*) FROM administration_workers) AS members,
            (SELECT count(*) FROM outbox WHERE kind = 'enrolment_notice') AS notices`);
  assert.deepEqual(counts.rows[0] && Object.values(counts.rows[0]).map(Number), [rows, rows, rows]);
  const last = await t.deps.db.query<{ email: string; mobile: string }>('SELECT email, mobile FROM accounts WHERE codice_fiscale = $1',
    [workerCodiceFiscale(rows - 1)]);
  assert.deepEqual(last.rows[0], { email: `worker${rows - 1}@example.it`, mobile: `+3933000${rows - 1}` });
});

