// The PostgreSQL adapter sends every statement prepared (issue 14). What that must not break:
// a table changed under a prepared `SELECT *` by another instance's migration (a rolling
// deployment), and parameters of differing values through one prepared text.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { Db } from '../../src/store/db.ts';
import { openPostgres } from '../../src/store/postgres.db.ts';
import { accountRowKeys, insertAccount } from '../../src/store/accounts.repo.ts';
import { freshGuard } from '../../src/domain/lockout.ts';
import { findSessionWithAccount } from '../../src/store/sessions.repo.ts';
import { findAccountCountingAttempt } from '../../src/store/sign-in-guards.repo.ts';
import { openIsolatedPostgres, runningInCi, testDatabaseUrl } from '../helpers/db.ts';

const serverUrl = testDatabaseUrl ?? (runningInCi ? 'postgres://postgres@127.0.0.1:5432/test' : undefined);

describe('prepared statements on the PostgreSQL server', { skip: serverUrl ? false : 'needs TEST_DATABASE_URL' }, () => {
  let db: Db;
  let schema: string;
  /** Another instance: its own connection, changing the table as a migration would. */
  const otherInstance = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  before(async () => {
    db = await openIsolatedPostgres(serverUrl!);
    schema = (await db.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]!.schema;
    await db.query('CREATE TABLE things (id int PRIMARY KEY, name text NOT NULL)');
    await db.query("INSERT INTO things VALUES (1, 'uno'), (2, 'due')");
  });
  after(() => db.close());

  test('statements are kept by name on the server, unless DATABASE_PREPARED_STATEMENTS is off', async () => {
    for (const preparedStatements of [true, false]) {
      const single = await openPostgres(serverUrl!, { schema, poolSize: 1, preparedStatements });
      try {
        await single.query('SELECT name FROM things WHERE id = $1', [1]);
        const kept = await single.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE $1', ['%FROM things%']);
        assert.equal(kept.rows[0]!.n, preparedStatements ? 1 : 0, `preparedStatements: ${preparedStatements}`);
      } finally {
        await single.close();
      }
    }
  });

  test('one prepared text answers for every value bound to it', async () => {
    for (const [id, name] of [[1, 'uno'], [2, 'due'], [3, undefined]] as const) {
      const rows = (await db.query<{ name: string }>('SELECT name FROM things WHERE id = $1', [id])).rows;
      assert.deepEqual(rows.map((row) => row.name), name ? [name] : []);
    }
  });

  test('a column added by another instance does not fail a prepared SELECT * read outside a transaction', async () => {
    const readAll = () => db.query<Record<string, unknown>>('SELECT * FROM things WHERE id > $1 ORDER BY id', [0]);
    for (let i = 0; i < 25; i++) await readAll(); // prepared on every connection of the pool that ran it
    await otherInstance("ALTER TABLE things ADD COLUMN colour text NOT NULL DEFAULT 'verde'");
    for (let i = 0; i < 25; i++) {
      const rows = (await readAll()).rows;
      assert.deepEqual(rows[0], { id: 1, name: 'uno', colour: 'verde' });
    }
  });

  test('in a transaction the stale statement fails the whole transaction, and the next one succeeds', async () => {
    const readInTransaction = () => db.transaction(async (tx) => {
      await tx.query("INSERT INTO things (id, name) VALUES (100 + (SELECT count(*) FROM things), 'nuovo')");
      return (await tx.query<Record<string, unknown>>('SELECT * FROM things WHERE id = $1', [1])).rows[0];
    });
    for (let i = 0; i < 25; i++) await db.query('SELECT * FROM things WHERE id = $1', [1]);
    const countBefore = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM things')).rows[0]!.n);
    await otherInstance('ALTER TABLE things ADD COLUMN size int');
    let failed = 0;
    let succeeded = 0;
    for (let i = 0; i < 25; i++) {
      try {
        const row = await readInTransaction();
        assert.equal(row?.size, null);
        succeeded++;
      } catch (error) {
        assert.match(String(error), /cached plan must not change result type/);
        failed++;
      }
    }
    assert.ok(failed <= 1, `${failed} transactions failed: the text must go unnamed after the first refusal`);
    assert.equal(succeeded, 25 - failed);
    const countAfter = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM things')).rows[0]!.n);
    assert.equal(countAfter, countBefore + succeeded, 'a failed transaction wrote nothing');
  });

  test('the reads of every request and every sign-in name their account columns: a column added to accounts fails neither, even in a transaction', async () => {
    const now = new Date('2026-12-01T09:00:00Z');
    const account = (await insertAccount(db, { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'Mario', lastName: 'Rossi', birthDate: null,
      email: 'mario@example.it', mobile: null, pec: null, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y', passwordTemporaryUntil: null }, now))!;
    await db.query("UPDATE accounts SET security_question = 'q', security_answer_hash = 'secret-answer-hash' WHERE id = $1", [account.id]);
    await db.query(`INSERT INTO sessions (id_hash, account_id, auth_method, acr, created_at, last_seen_at, ip, user_agent)
      VALUES ('session-hash', $1, 'password', 'x', $2, $2, '127.0.0.1', 'test')`, [account.id, now]);
    const readBoth = () => db.transaction(async (tx) => ({
      session: await findSessionWithAccount(tx, 'session-hash', { withLastFederatedSignIn: true }),
      signIn: await findAccountCountingAttempt(tx, 'RSSMRA85T10A562S', null, freshGuard, now),
    }));
    for (let i = 0; i < 5; i++) await readBoth(); // prepared on the connections that ran them
    await otherInstance('ALTER TABLE accounts ADD COLUMN nickname text');
    for (let i = 0; i < 5; i++) {
      const { session, signIn } = await readBoth();
      assert.equal(session?.account.codice_fiscale, 'RSSMRA85T10A562S');
      assert.equal(signIn.account?.id, account.id);
    }
    // What a request carries is AccountRow, not the whole row: the security answer's hash stays in the table.
    const { session, signIn } = await readBoth();
    const stored = (await db.query<Record<string, unknown>>('SELECT * FROM accounts WHERE id = $1', [account.id])).rows[0]!;
    for (const read of [session!.account, signIn.account!] as unknown as Record<string, unknown>[]) {
      assert.equal(read.security_answer_hash, undefined);
      assert.deepEqual(Object.keys(read).sort(), [...accountRowKeys].sort());
      for (const [column, value] of Object.entries(read)) assert.deepEqual(value, stored[column], column);
    }
  });
});
