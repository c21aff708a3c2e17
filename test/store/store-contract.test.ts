// The storage contract on PGlite always, and on PostgreSQL when TEST_DATABASE_URL is set:
// rowCount, transactions, rollback, single-use updates, the append-only audit trail.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { recordAudit, verifyAuditChain } from '../../src/store/audit.repo.ts';
import { openTestDb, testDatabaseUrl } from '../helpers/db.ts';

const engines: [string, () => Promise<Db>][] = [
  ['pglite', async () => { const db = await openDb('memory://', ''); await migrate(db); return db; }],
];
if (testDatabaseUrl) engines.push(['postgres', openTestDb]);

for (const [engine, open] of engines) {
  describe(`store contract on ${engine}`, () => {
    let db: Db;
    before(async () => { db = await open(); });
    after(() => db.close());
    const now = new Date('2026-11-24T10:00:00Z');

    test('migrations are idempotent', async () => {
      assert.deepEqual(await migrate(db), []);
    });

    test('rowCount counts affected rows for every statement kind', async () => {
      await db.query('CREATE TABLE IF NOT EXISTS contract_rows (id int PRIMARY KEY, used_at timestamptz)');
      assert.equal((await db.query('INSERT INTO contract_rows (id) VALUES (1), (2), (3)')).rowCount, 3);
      assert.equal((await db.query('UPDATE contract_rows SET used_at = $1 WHERE id > 1', [now])).rowCount, 2);
      assert.equal((await db.query('DELETE FROM contract_rows WHERE id = 99')).rowCount, 0);
      assert.equal((await db.query('SELECT * FROM contract_rows')).rows.length, 3);
    });

    test('a failed transaction leaves nothing behind', async () => {
      await assert.rejects(db.transaction(async (tx) => {
        await tx.query('INSERT INTO contract_rows (id) VALUES (10)');
        throw new Error('boom');
      }));
      assert.equal((await db.query('SELECT 1 FROM contract_rows WHERE id = 10')).rows.length, 0);
    });

    test('single use is one guarded statement: 20 parallel uses, exactly one wins', async () => {
      await db.query('INSERT INTO contract_rows (id) VALUES (20)');
      const results = await Promise.all(Array.from({ length: 20 }, () =>
        db.query('UPDATE contract_rows SET used_at = $1 WHERE id = 20 AND used_at IS NULL RETURNING id', [now])));
      assert.equal(results.filter((r) => r.rowCount === 1).length, 1);
    });

    test('the audit trail is hash-chained and append-only', async () => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => db.transaction((tx) =>
        recordAudit(tx, now, { type: 'test', actor: 'system', outcome: 'success', details: { i } }))));
      assert.equal(await verifyAuditChain(db), null);
      await assert.rejects(db.query("UPDATE audit_events SET outcome = 'failure'"), /append-only/);
      await assert.rejects(db.query('DELETE FROM audit_events'), /append-only/);
    });
  });
}
