// What the hourly housekeeping (main.ts) does for administrations' pages: expired sessions are
// deleted, and jobs a killed process left behind end as interrupted with their files removed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { adminToken, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { formClient, type FormClient } from '../../../test/helpers/form-client.ts';
import { administrationAbsoluteSeconds, administrationIdleSeconds, pruneAdministrationSessions } from './administration-session.ts';
import { silentJobSeconds, sweepInterruptedJobs } from './enrolment-jobs.ts';

describe('administration pages housekeeping', () => {
  let t: TestApp;
  let dataDir: string;
  let uploads: string;
  let token: string;
  let administrationId: string;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'varco-housekeeping-'));
    uploads = join(dataDir, 'enrolment-uploads');
    await mkdir(uploads);
    t = await startTestApp({ DATA_DIR: dataDir });
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/admin/administrations', headers: { authorization: `Bearer ${adminToken}` },
      payload: { code: 'SWEEP', name: 'Sweep' } });
    token = created.json().apiToken as string;
    administrationId = (await t.deps.db.query<{ id: string }>(`SELECT id FROM administrations WHERE code = 'SWEEP'`)).rows[0]!.id;
  });
  after(async () => {
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const signIn = async (): Promise<FormClient> => {
    const browser = formClient(t);
    await browser.get('/administration/signin');
    assert.equal((await browser.post('/administration/signin', { token })).statusCode, 303);
    return browser;
  };
  const sessionCount = async () => (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM administration_sessions')).rows[0]!.n;

  test('sessions past their idle or absolute limit are deleted; a live one stays and still works', async () => {
    await pruneAdministrationSessions(t.deps); // whatever earlier tests left
    const idle = await signIn();
    t.clock.advance(administrationIdleSeconds - 60);
    const live = await signIn();
    assert.equal((await live.get('/administration')).statusCode, 200);
    t.clock.advance(120); // the first one is now idle past its limit, the second was seen 2 minutes ago
    assert.equal(await pruneAdministrationSessions(t.deps), 1);
    assert.equal(await sessionCount(), 1);
    assert.equal((await idle.get('/administration')).statusCode, 303, 'the deleted session sends to the sign-in page');
    assert.equal((await live.get('/administration')).statusCode, 200);

    // Kept busy, the live session still ends at its absolute limit, and is deleted then.
    const step = administrationIdleSeconds - 60;
    let age = 120;
    for (; age + step < administrationAbsoluteSeconds; age += step) {
      t.clock.advance(step);
      assert.equal(await pruneAdministrationSessions(t.deps), 0, `${age + step} s old`);
      assert.equal((await live.get('/administration')).statusCode, 200);
    }
    t.clock.advance(administrationAbsoluteSeconds - age + 1);
    assert.equal(await pruneAdministrationSessions(t.deps), 1);
    assert.equal(await sessionCount(), 0);
  });

  test('a job whose process was killed ends as interrupted and its file is deleted; live jobs and fresh files stay', async () => {
    const now = t.clock.now();
    const job = async (state: 'queued' | 'running', name: string) => {
      const id = crypto.randomUUID();
      const filePath = join(uploads, `${id}.csv`);
      await writeFile(filePath, 'codiceFiscale,firstName,lastName,email,mobile\n');
      await t.deps.db.query(
        `INSERT INTO enrolment_jobs (id, administration_id, state, file_name, file_path, file_bytes, created_at, progress_at)
         VALUES ($1, $2, $3, $4, $5, 46, $6, $7)`, [id, administrationId, state, name, filePath, now, state === 'running' ? now : null]);
      return { id, filePath };
    };
    const running = await job('running', 'in-corso.csv');
    const queued = await job('queued', 'in-coda.csv');
    // Files without a job row: a process killed while the upload was still arriving.
    const abandoned = join(uploads, `${crypto.randomUUID()}.csv`);
    await writeFile(abandoned, 'codiceFiscale;nome\n');
    const old = new Date(now.getTime() - (silentJobSeconds + 60) * 1000);
    await utimes(abandoned, old, old);
    const arriving = join(uploads, `${crypto.randomUUID()}.csv`);
    await writeFile(arriving, 'codiceFiscale;nome\n');
    await utimes(arriving, now, now);

    assert.equal(await sweepInterruptedJobs(t.deps), 1, 'only the abandoned file goes');
    assert.ok(!existsSync(abandoned));
    for (const path of [running.filePath, queued.filePath, arriving]) assert.ok(existsSync(path), path);

    t.clock.advance(silentJobSeconds + 60);
    assert.equal(await sweepInterruptedJobs(t.deps), 3, 'both silent jobs\' files and the upload that stopped arriving');
    for (const path of [running.filePath, queued.filePath, arriving]) assert.ok(!existsSync(path), path);
    const rows = await t.deps.db.query<{ state: string; failure: string; file_path: string | null }>(
      'SELECT state, failure, file_path FROM enrolment_jobs WHERE id = ANY($1::uuid[])', [[running.id, queued.id]]);
    assert.deepEqual(rows.rows, [0, 1].map(() => ({ state: 'failed', failure: 'interrupted', file_path: null })));

    const browser = await signIn();
    const page = await browser.get(`/administration/jobs/${running.id}`);
    assert.match(page.body, /L’elaborazione si è interrotta/);
    assert.equal(page.headers.refresh, undefined, 'an ended job does not refresh');
    assert.equal(await sweepInterruptedJobs(t.deps), 0, 'nothing left to do');
  });
});
