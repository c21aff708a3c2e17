import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Db, QueryResult, Transaction } from './db.ts';

interface PgliteQueryable {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

async function run<Row>(target: PgliteQueryable, sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
  const result = await target.query<Row>(sql, [...params]);
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
}

/** PGlite is one connection: its transaction() holds a mutex, so transactions run one at a time. */
export async function openPglite(location: string): Promise<Db> {
  if (location !== 'memory://') mkdirSync(location, { recursive: true });
  const pglite = await PGlite.create(location === 'memory://' ? undefined : `file://${location}`);
  let closed = false;
  return {
    kind: 'pglite',
    query: (sql, params) => run(pglite, sql, params),
    transaction: (work) =>
      pglite.transaction((tx) => {
        const wrapped: Transaction = {
          query: (sql, params) => run(tx, sql, params),
          execScript: async (sql) => void (await tx.exec(sql)),
        };
        return work(wrapped);
      }),
    ping: async () => {
      if (closed) throw new Error('database closed');
      await pglite.query('SELECT 1');
    },
    close: async () => {
      closed = true;
      await pglite.close();
    },
  };
}
