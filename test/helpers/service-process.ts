// The real service as a child process (src/main.ts, as `npm start` runs it) on a PostgreSQL
// schema of the suite's own, for the tests that signal it (SIGKILL, SIGTERM). PostgreSQL,
// not PGlite: an embedded database dies with the process that holds it, so "the service was
// killed, the database kept what was committed" only means something with a server. In CI's
// PGlite pass the machine's server is used, as the two-instance suite does.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../../src/store/migrate.ts';
import { openPostgres } from '../../src/store/postgres.db.ts';
import { runningInCi, testDatabaseUrl } from './db.ts';

export const serviceServerUrl = testDatabaseUrl ?? (runningInCi ? 'postgres://postgres@127.0.0.1:5432/test' : undefined);
export const serviceAdminToken = 'Kq7-service-admin-token-Zr2mXw9pLc4vNb8t';

export interface ServiceSchema {
  /** Connection string for the service: the schema on its search path, an application_name to find its backends by. */
  serviceUrl: string;
  applicationName: string;
  /** A client of the test's own on the same schema, for direct checks. */
  client: pg.Pool;
  drop(): Promise<void>;
}

export async function createServiceSchema(serverUrl: string): Promise<ServiceSchema> {
  const schema = `svc_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = await openPostgres(serverUrl, { schema, poolSize: 2 });
  await migrate(db);
  await db.close();
  const url = new URL(serverUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const client = new pg.Pool({ connectionString: url.toString(), max: 3 });
  const applicationName = `varco-${schema}`;
  url.searchParams.set('application_name', applicationName);
  return {
    serviceUrl: url.toString(),
    applicationName,
    client,
    drop: async () => {
      await client.end();
      const cleaner = new pg.Client({ connectionString: serverUrl });
      await cleaner.connect();
      await cleaner.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await cleaner.end();
    },
  };
}

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  base: string;
  /** Resolves with the exit code (null when a signal ended it) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the service wrote (its log lines and stderr), for failure messages. */
  stderr(): string;
}

const dataDirs: string[] = [];

/** A data directory (development OIDC key) shared by every start of one suite, as one host's disk would be. */
export function serviceDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'varco-service-'));
  dataDirs.push(dir);
  return dir;
}

export function removeServiceDataDirs(): void {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function startService(port: number, serviceUrl: string, env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, VARCO_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: serviceUrl, DATABASE_POOL_SIZE: '4', SESSION_SECRET: 'Wd5-service-session-Hs8kPq2mZx7vLc3nRt6y',
      CODE_HMAC_KEYS: 'Jf4-service-hmac-key-Tn9wQz6pXc2vBm8kLs5r', BOOTSTRAP_ADMIN_TOKEN: serviceAdminToken,
      CAPTCHA: 'off', SEED_DEMO_DATA: 'off', LOG_LEVEL: 'warn',
      RATE_LIMIT_SIGNIN_PER_IP_PER_MINUTE: '100000', RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '100000',
      RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100000', RATE_LIMIT_CODE_ENTRY_PER_IP_PER_HOUR: '100000',
      ...env,
    },
  });
  let stderr = '';
  const keep = (chunk: Buffer) => { stderr = (stderr + chunk.toString('utf8')).slice(-20_000); };
  child.stdout!.on('data', keep); // the logger writes to stdout
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const service = { child, port, base: `http://127.0.0.1:${port}`, exited, stderr: () => stderr };
  await waitForReady(service);
  return service;
}

async function waitForReady(service: ServiceProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(`the service on ${service.port} exited (${service.child.exitCode ?? service.child.signalCode}): ${service.stderr()}`);
    }
    try {
      if ((await fetch(`${service.base}/readyz`)).status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the service on ${service.port} never became ready: ${service.stderr()}`);
}

/** SIGKILL and wait for the process to be gone (its port free again). */
export async function killService(service: ServiceProcess): Promise<void> {
  if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
  await service.exited;
}

export interface Answer {
  status: number;
  body: unknown;
  cookies: string[];
}

/** A JSON request to the service; `null` when the connection failed (the process died under it). */
export async function call(service: Pick<ServiceProcess, 'base'>, method: string, path: string, options: { body?: unknown; cookie?: string; token?: string; csv?: string } = {}): Promise<Answer | null> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    body = options.csv;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  try {
    const response = await fetch(`${service.base}${path}`, { method, headers, body });
    const text = await response.text();
    const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]!);
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text), cookies };
  } catch {
    return null;
  }
}

export function sessionCookie(answer: Answer | null): string {
  const cookie = answer?.cookies.find((c) => c.startsWith('varco_session='));
  if (!cookie) throw new Error(`no session cookie: ${JSON.stringify(answer)}`);
  return cookie;
}
