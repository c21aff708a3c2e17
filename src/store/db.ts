// The storage contract every repo and flow uses. PostgreSQL (pg) and embedded PGlite
// implement it; differences between them (rowCount vs affectedRows, statement batching)
// are normalised here and nowhere else.

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export interface Transaction extends Queryable {
  /** Runs a script of several statements without parameters (migrations only). */
  execScript(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openDb(databaseUrl: string | undefined, dataDir: string, options: { poolSize?: number; preparedStatements?: boolean } = {}): Promise<Db> {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    const { openPostgres } = await import('./postgres.db.ts');
    return openPostgres(databaseUrl, options);
  }
  const { openPglite } = await import('./pglite.db.ts');
  return openPglite(databaseUrl === 'memory://' ? 'memory://' : dataDir);
}
