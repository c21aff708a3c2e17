// Builds the whole app for a test: a fresh database (PGlite, or PostgreSQL when
// TEST_DATABASE_URL is set), the development mailbox, a clock the test moves.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createArgon2Hasher } from '../../src/adapters/argon2.hasher.ts';
import { createDbRateLimiter } from '../../src/adapters/rate-limiter.ts';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createOutbox } from '../../src/delivery/outbox.ts';
import { messageTemplates } from '../../src/flows/manifest.ts';
import { cryptoRandom } from '../../src/domain/clock.ts';
import { hashToken } from '../../src/domain/secrets.ts';
import type { FlowDeps } from '../../src/flows/deps.ts';
import type { Hasher } from '../../src/domain/hasher.ts';
import type { Db } from '../../src/store/db.ts';
import { insertApiToken } from '../../src/store/api-tokens.repo.ts';
import { TestClock } from './clock.ts';
import { openTestDb } from './db.ts';
import { assertResponsesMatchOpenApi, recordResponses } from './openapi-contract.ts';

export const adminToken = 'test-platform-admin-token-0123456789';

export interface TestApp {
  app: FastifyInstance;
  deps: FlowDeps;
  clock: TestClock;
  close(): Promise<void>;
}

/** `hasher`: another than the production argon2id (test/helpers/fast-hasher.ts, for the sweeps that sign in by the dozen). */
export async function startTestApp(
  env: Record<string, string> = {}, options: { logLines?: string[]; db?: Db; checkContract?: boolean; hasher?: Hasher } = {},
): Promise<TestApp> {
  const clock = new TestClock();
  // A test may bring its own database (the fault suites reach PostgreSQL through a proxy).
  const db = options.db ?? await openTestDb();
  const config: Config = loadConfig({ CAPTCHA: 'off', SESSION_SECRET: 'x'.repeat(32), RATE_LIMIT_SIGNIN_PER_IP_PER_MINUTE: '100000', ...env });
  const deps: FlowDeps = {
    db, config, clock, random: cryptoRandom, hasher: options.hasher ?? createArgon2Hasher(), limiter: createDbRateLimiter(db),
    outbox: createOutbox({ clock, devMailbox: true, templates: messageTemplates() }),
  };
  await insertApiToken(db, { tokenHash: hashToken(adminToken), role: 'platform_admin', subjectId: null }, clock.now());
  const logLines = options.logLines;
  const app = await buildApp(deps, logLines
    ? { logStream: { write: (line: string) => void logLines.push(line) } }
    : { logger: false });
  // Every response the suite receives must agree with /openapi.json (checked at close).
  // (The soak run turns it off: it would keep every response in memory.)
  const seen = options.checkContract === false ? [] : recordResponses(app);
  const close = async () => {
    try {
      await assertResponsesMatchOpenApi(app, seen);
    } finally {
      await app.close();
      await db.close();
    }
  };
  return { app, deps, clock, close };
}

/** The session cookie a response set, ready for a Cookie header. */
export function sessionCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'varco_session');
  if (!cookie) throw new Error(`no session cookie in response ${response.statusCode}: ${response.body}`);
  return `varco_session=${cookie.value}`;
}

export interface Mail {
  id: string;
  channel: string;
  to: string;
  kind: string;
  subject?: string;
  text: string;
  createdAt: string;
}

export async function mailbox(app: FastifyInstance, to: string): Promise<Mail[]> {
  const response = await app.inject({ method: 'GET', url: `/dev/outbox?to=${encodeURIComponent(to)}` });
  return (response.json() as { messages: Mail[] }).messages;
}

/** Registers a citizen at the counter with a handed-over temporary password. */
export async function registerCitizen(
  app: FastifyInstance,
  citizen: { codiceFiscale: string; firstName?: string; lastName?: string; email?: string; mobile?: string; temporaryPassword?: string },
) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/admin/accounts',
    headers: { authorization: `Bearer ${adminToken}` },
    payload: { firstName: 'Anna', lastName: 'Esposito', ...citizen },
  });
}

/** Registers a citizen at the counter and replaces the temporary password, as a first sign-in would. */
export async function activateCitizen(
  app: FastifyInstance,
  citizen: { codiceFiscale: string; firstName?: string; lastName?: string; email?: string; mobile?: string; password: string },
): Promise<void> {
  const { password, ...details } = citizen;
  const temporaryPassword = 'Provvisoria-2026';
  const created = await registerCitizen(app, { ...details, temporaryPassword });
  if (created.statusCode !== 201) throw new Error(`citizen not registered: ${created.body}`);
  const first = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: citizen.codiceFiscale, password: temporaryPassword } });
  const changed = await app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: sessionCookieOf(first) },
    payload: { currentPassword: temporaryPassword, newPassword: password } });
  if (changed.statusCode !== 204) throw new Error(`password not changed: ${changed.body}`);
}
