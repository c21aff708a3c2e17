// A fresh, migrated database per suite: PGlite in memory by default, or an isolated
// schema on the real PostgreSQL server when TEST_DATABASE_URL is set (as CI does).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPostgres } from '../../src/store/postgres.db.ts';

export const testDatabaseUrl = process.env.TEST_DATABASE_URL;
export const testRedisUrl = process.env.TEST_REDIS_URL;
/** Under CI every suite must run: a missing service is a failure, not a skip. */
export const runningInCi = process.env.CI === 'true';

export async function openTestDb(): Promise<Db> {
  if (!testDatabaseUrl) {
    const db = await openDb('memory://', '');
    await migrate(db);
    return db;
  }
  return openIsolatedPostgres(testDatabaseUrl);
}

/** A migrated database in a schema of its own, dropped on close. */
export async function openIsolatedPostgres(url: string): Promise<Db> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = await openPostgres(url, { schema, poolSize: 20 });
  await migrate(db);
  return {
    ...db,
    close: async () => {
      await db.close();
      const cleaner = new pg.Client({ connectionString: url });
      await cleaner.connect();
      await cleaner.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleaner.end();
    },
  };
}
