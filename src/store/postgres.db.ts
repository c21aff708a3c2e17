import pg from 'pg';
import type { Db, QueryResult, Transaction } from './db.ts';

type PgTarget = Pick<pg.Pool | pg.PoolClient, 'query'>;

async function run<Row>(target: PgTarget, sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
  const result = await target.query(sql, [...params]);
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
}

export interface PostgresOptions {
  poolSize?: number;
  /** Puts every connection in this schema (test suites isolate themselves this way). */
  schema?: string;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its server must not crash the process: the pool replaces it,
  // and /readyz reports the outage until the server answers again.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    transaction: async (work) => {
      const client = await pool.connect();
      // A connection lost while this transaction holds it (say between two queries, while the
      // handler hashes) is an 'error' event on the client, not on the pool: unheard, it would
      // crash the process (found by the soak run). The lost client is destroyed, not pooled.
      let lost: Error | undefined;
      const onLost = (error: Error) => void (lost = error);
      client.on('error', onLost);
      try {
        await client.query('BEGIN');
        const tx: Transaction = {
          query: (sql, params) => run(client, sql, params),
          execScript: async (sql) => void (await client.query(sql)),
        };
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onLost);
        client.release(lost);
      }
    },
    ping: async () => void (await pool.query('SELECT 1')),
    close: () => pool.end(),
  };
}
