// S31: the audit trail is hash-chained and verifiable; `npm run verify-audit` names the first
// broken record. Rows are changed and deleted behind the append-only trigger's back (as an
// intruder with database rights would) and the check must catch each.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { recordAudit, sealAllAudit, sealAuditBatch, verifyAuditChain } from '../../src/store/audit.repo.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openTestDb } from '../helpers/db.ts';

const at = new Date('2026-11-24T09:00:00Z');

/** Appends events as requests do, then seals them as the sealer does off the request path. */
async function writeEvents(db: Db, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await db.transaction((tx) => recordAudit(tx, new Date(at.getTime() + i * 1000), {
      type: 'sign_in', actor: 'citizen:RSSMRA85T10A562S', ip: '127.0.0.1', outcome: 'success', details: { method: 'password', n: i },
    }));
  }
  await sealAllAudit(db);
}

/** Runs SQL on audit_events as an intruder would: with the append-only trigger switched off. */
async function behindTheTrigger(db: Db, sql: string, params: unknown[] = []): Promise<void> {
  await db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change');
  try {
    await db.query(sql, params);
  } finally {
    await db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change');
  }
}

const seqs = async (db: Db) => (await db.query<{ seq: string }>('SELECT seq FROM audit_events ORDER BY seq')).rows.map((r) => Number(r.seq));

describe('S31 audit integrity', () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
    await writeEvents(db, 12);
  });
  after(() => db.close());

  test('an untouched trail verifies; the trigger refuses changes made the ordinary way', async () => {
    assert.equal(await verifyAuditChain(db), null);
    await assert.rejects(db.query("UPDATE audit_events SET outcome = 'failure'"), /append-only/);
    await assert.rejects(db.query('DELETE FROM audit_events'), /append-only/);
  });

  test('the sealer chains appended events in batches, once; a sealed record cannot be sealed again', async () => {
    const fresh = await openTestDb();
    try {
      for (let i = 0; i < 5; i += 1) {
        await recordAudit(fresh, new Date(at.getTime() + i * 1000), { type: 'sign_in_failed', actor: 'citizen:RSSMRA85T10A562S', outcome: 'failure' });
      }
      const unsealed = await fresh.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE hash IS NULL');
      assert.equal(unsealed.rows[0]?.n, 5, 'requests append without hashing or locking the head');
      assert.equal(await sealAuditBatch(fresh, 3), 3);
      assert.equal(await sealAuditBatch(fresh, 3), 2);
      assert.equal(await sealAuditBatch(fresh, 3), 0);
      const chain = await fresh.query<{ seq: string; chain_seq: string }>('SELECT seq, chain_seq FROM audit_events ORDER BY seq');
      assert.deepEqual(chain.rows.map((r) => Number(r.chain_seq)), [1, 2, 3, 4, 5]);
      await assert.rejects(fresh.query("UPDATE audit_events SET hash = 'forged', prev_hash = 'forged', chain_seq = 99 WHERE seq = $1", [chain.rows[0]!.seq]), /append-only/);
      assert.equal(await verifyAuditChain(fresh), null);
    } finally {
      await fresh.close();
    }
  });

  test('a changed record is named', async () => {
    const [, , third] = await seqs(db);
    await behindTheTrigger(db, "UPDATE audit_events SET ip = '10.0.0.66' WHERE seq = $1", [third]);
    assert.deepEqual(await verifyAuditChain(db), { seq: third, reason: 'altered' });
    await behindTheTrigger(db, "UPDATE audit_events SET ip = '127.0.0.1' WHERE seq = $1", [third]);
    assert.equal(await verifyAuditChain(db), null, 'put back exactly, it verifies again');
  });

  test('a changed hash, re-chained on one row only, is still caught at the next', async () => {
    const [, , , , fifth, sixth] = await seqs(db);
    await behindTheTrigger(db, "UPDATE audit_events SET outcome = 'failure', hash = 'forged' WHERE seq = $1", [fifth]);
    const broken = await verifyAuditChain(db);
    assert.ok(broken && (broken.seq === fifth || broken.seq === sixth), JSON.stringify(broken));
  });

  test('a deleted record is named by the one after it; a deleted tail by the chain head', async () => {
    const fresh = await openTestDb();
    try {
      await writeEvents(fresh, 6);
      const ids = await seqs(fresh);
      await behindTheTrigger(fresh, 'DELETE FROM audit_events WHERE seq = $1', [ids[2]]);
      assert.deepEqual(await verifyAuditChain(fresh), { seq: ids[3], reason: 'record_missing_before' });
    } finally {
      await fresh.close();
    }
    const tail = await openTestDb();
    try {
      await writeEvents(tail, 4);
      const ids = await seqs(tail);
      await behindTheTrigger(tail, 'DELETE FROM audit_events WHERE seq = $1', [ids[3]]);
      assert.deepEqual(await verifyAuditChain(tail), { seq: ids[2], reason: 'tail_missing' });
    } finally {
      await tail.close();
    }
  });
});

describe('npm run verify-audit', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'varco-audit-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = () => spawnSync(process.execPath, ['--import', 'tsx', 'src/store/verify-audit.cli.ts'], {
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, encoding: 'utf8',
  });

  test('says intact with the count, or names the broken record and exits 1', async () => {
    const db = await openDb(undefined, dataDir);
    await migrate(db);
    await writeEvents(db, 3);
    await db.close();
    const intact = run();
    assert.equal(intact.status, 0, intact.stderr);
    assert.match(intact.stdout, /intact: 3 records/);

    const again = await openDb(undefined, dataDir);
    const ids = await seqs(again);
    await behindTheTrigger(again, "UPDATE audit_events SET actor = 'admin' WHERE seq = $1", [ids[1]]);
    await again.close();
    const broken = run();
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, new RegExp(`BROKEN at record ${ids[1]}: its content no longer matches`));
  });
});
