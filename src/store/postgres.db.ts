import pg from 'pg';
import type { Db, QueryResult, Transaction } from './db.ts';

type PgTarget = Pick<pg.Pool | pg.PoolClient, 'query'>;

// Issue 14: parsing and planning a statement cost PostgreSQL two to three times what running
// it does (measured: the sign-in's account lookup 0.33 ms of server CPU unnamed, 0.11 ms
// prepared; the session lookup 0.26 and 0.10 ms), on every request. So every statement is
// sent as a named one: each connection parses and plans it once and then only binds and runs
// it. The SQL texts are the repos' constants; the bound keeps a text built from something
// unbounded (there is none today) from preparing without end on every connection. Scripts of
// several statements go through a transaction's execScript, on the simple protocol.
const maxPreparedStatements = 2000;

/** Statement names by SQL text, shared by every pool of the process (a name always means one text). */
const statementNames = new Map<string, string>();
/** Texts PostgreSQL refused to run prepared (see resultTypeChanged): sent unnamed from then on. */
const unprepared = new Set<string>();

function statementName(sql: string): string | undefined {
  if (unprepared.has(sql)) return undefined;
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < maxPreparedStatements) {
    name = `varco_${statementNames.size}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * A migration run by another instance (a rolling deployment) changed a table a prepared
 * `SELECT *` reads: PostgreSQL refuses the statement it had planned for the old columns.
 */
function resultTypeChanged(error: unknown): boolean {
  return error instanceof Error && (error as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(error.message);
}

async function run<Row>(target: PgTarget, sql: string, params: readonly unknown[], canRetry: boolean, prepared: boolean): Promise<QueryResult<Row>> {
  const name = prepared ? statementName(sql) : undefined;
  let result: pg.QueryResult;
  try {
    result = await target.query({ name, text: sql, values: [...params] });
  } catch (error) {
    if (!name || !resultTypeChanged(error)) throw error;
    // The connection keeps the stale statement under its name, so the text goes unnamed from
    // now on. Outside a transaction nothing was done yet: it runs again. In one, the
    // transaction is already aborted and fails as a whole (nothing half-written).
    unprepared.add(sql);
    if (!canRetry) throw error;
    result = await target.query(sql, [...params]);
  }
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
}

export interface PostgresOptions {
  poolSize?: number;
  /** Statements by name, parsed once per connection (default); false sends every one unnamed. */
  preparedStatements?: boolean;
  /** Puts every connection in this schema (test suites isolate themselves this way). */
  schema?: string;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const prepared = options.preparedStatements ?? true;
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
    query: (sql, params = []) => run(pool, sql, params, true, prepared),
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
          query: (sql, params = []) => run(client, sql, params, false, prepared),
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
