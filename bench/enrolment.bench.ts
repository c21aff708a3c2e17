// Enrolment throughput (issue 12): 100,000 CSV rows streamed over HTTP into the service on
// PostgreSQL, every notice queued, next to PostgreSQL's own COPY of the same rows into a bare
// table in the same run; and the service's peak RSS growth during the upload.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { workerCsv } from '../test/helpers/workers.ts';

const rows = Number(process.env.BENCH_ENROLMENT_ROWS ?? 100_000);
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function ask<T>(child: ChildProcess, message: string): Promise<T> {
  const answer = once(child, 'message') as Promise<[T]>;
  child.send(message);
  return answer.then(([value]) => value);
}

/**
 * The floor: COPY of the same CSV into a table without keys, checks or notices. An ordinary
 * (write-ahead-logged) table like the service's own, not a temporary one, which skips the log.
 */
async function copySeconds(): Promise<number> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  const table = `bench_copy_${process.pid}`;
  try {
    await client.query(`CREATE TABLE ${table} (codice_fiscale text, first_name text, last_name text, email text, mobile text)`);
    const started = performance.now();
    await pipeline(Readable.from(workerCsv(rows)), client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true)`)));
    const seconds = (performance.now() - started) / 1000;
    const copied = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    if (copied.rows[0]?.n !== rows) throw new Error(`COPY stored ${copied.rows[0]?.n} rows`);
    return seconds;
  } finally {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
  }
}

async function newAdministration(base: string, adminToken: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/admin/administrations`, { method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ code: 'BENCH', name: 'Bench' }) });
  return ((await response.json()) as { apiToken: string }).apiToken;
}

async function uploadSeconds(base: string, token: string): Promise<{ seconds: number; summary: Record<string, unknown> }> {
  const started = performance.now();
  const response = await fetch(`${base}/api/v1/enrolments`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: Readable.toWeb(Readable.from(workerCsv(rows))) as ReadableStream, duplex: 'half',
  } as RequestInit);
  const summary = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`enrolment answered ${response.status}: ${JSON.stringify(summary)}`);
  return { seconds: (performance.now() - started) / 1000, summary };
}

export async function benchEnrolment(): Promise<Record<string, number>> {
  const child = fork('bench/enrolment-server.ts', [postgresUrl], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: 'inherit' });
  try {
    const [{ port, adminToken }] = (await once(child, 'message')) as [{ port: number; adminToken: string }];
    const base = `http://127.0.0.1:${port}`;
    const token = await newAdministration(base, adminToken);
    const copy = await copySeconds();
    await ask(child, 'reset');
    const upload = await uploadSeconds(base, token);
    const report = await ask<{ peakRssGrowthBytes: number; peakHeapGrowthBytes: number; peakExternalGrowthBytes: number; accounts: number; notices: number }>(child, 'report');
    if (upload.summary.created !== rows || report.notices !== rows) throw new Error(`stored ${JSON.stringify(upload.summary)}, notices ${report.notices}`);
    const resend = await uploadSeconds(base, token);
    return {
      enrolment_rows: rows,
      enrolment_postgres_rows_per_s: Math.round(rows / upload.seconds),
      enrolment_postgres_seconds: Number(upload.seconds.toFixed(2)),
      enrolment_resend_unchanged_rows_per_s: Math.round(rows / resend.seconds),
      copy_postgres_rows_per_s: Math.round(rows / copy),
      copy_postgres_seconds: Number(copy.toFixed(2)),
      enrolment_vs_copy_ratio: Number((upload.seconds / copy).toFixed(1)),
      enrolment_peak_rss_growth_mb: Math.round(report.peakRssGrowthBytes / (1024 * 1024)),
      // Where the growth is: the V8 heap (mostly garbage not yet collected) or buffers outside it.
      enrolment_peak_heap_growth_mb: Math.round(report.peakHeapGrowthBytes / (1024 * 1024)),
      enrolment_peak_external_growth_mb: Math.round(report.peakExternalGrowthBytes / (1024 * 1024)),
      enrolment_notices_queued: report.notices,
    };
  } finally {
    child.send('stop');
    await once(child, 'exit');
  }
}
