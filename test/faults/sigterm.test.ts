// Issue 13, faults: SIGTERM drains. The real service (a child process) gets SIGTERM while
// sign-ins wait for their argon2 hash and the outbox worker is in the middle of handing a
// message to a slow SMTP peer. It must stop accepting connections at once, answer every
// request it had accepted, let the worker finish (the message delivered and marked sent,
// not left to a lease), and exit 0.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import {
  call, createServiceSchema, removeServiceDataDirs, serviceAdminToken, serviceDataDir, serviceServerUrl, sessionCookie, startService,
  type ServiceSchema,
} from '../helpers/service-process.ts';

const skip = serviceServerUrl ? false : 'needs PostgreSQL (TEST_DATABASE_URL): the service is a child process that outlives no embedded database';
const port = 4800;
const codiceFiscale = 'RSSMRA85T10A562S';
const email = 'anna@example.it';
const password = 'Tramonto-Viola!Sul-Po7';

/** An SMTP peer that takes each message's data and answers only once released. */
async function startHeldSmtp() {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => { release = resolve; });
  const held: string[] = [];
  const delivered: string[] = [];
  let onHeld: () => void = () => undefined;
  const firstHeld = new Promise<void>((resolve) => { onHeld = resolve; });
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => { raw += chunk.toString('utf8'); });
      stream.on('end', () => {
        held.push(raw);
        onHeld();
        void released.then(() => {
          delivered.push(raw);
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const smtpPort = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  return { port: smtpPort, held, delivered, firstHeld, release: () => release(), close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Counts the service's "incoming request" log lines for the sign-in route from now on. */
function receivedSignIns(child: ChildProcess) {
  let count = 0;
  let partial = '';
  const waiters: { n: number; resolve: () => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.includes('"msg":"incoming request"') && line.includes('"url":"/api/v1/session"')) count += 1;
    }
    for (const waiter of waiters) if (count >= waiter.n) waiter.resolve();
  });
  return {
    reach: (n: number) => new Promise<void>((resolve) => {
      if (count >= n) resolve();
      else waiters.push({ n, resolve });
    }),
  };
}

function connectionRefused(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(false); });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('SIGTERM drains requests and the outbox worker', { skip }, () => {
  let schema: ServiceSchema;
  let smtp: Awaited<ReturnType<typeof startHeldSmtp>>;

  before(async () => {
    schema = await createServiceSchema(serviceServerUrl!);
    smtp = await startHeldSmtp();
  });
  after(async () => {
    smtp?.release();
    await smtp?.close();
    await schema?.drop();
    removeServiceDataDirs();
  });

  test('new connections are refused at once; accepted sign-ins are answered; the message being sent is finished; exit 0', async () => {
    // Forty sign-ins of one account at once: each is counted as an attempt before its hash (so
    // parallel guesses cannot outrun the lockout), which would lock the account at 5.
    // LOG_LEVEL info: the request log says which sign-ins the service had received.
    const service = await startService(port, schema.serviceUrl, {
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, DATA_DIR: serviceDataDir(), LOCKOUT_THRESHOLD: '1000', LOG_LEVEL: 'info' });
    try {
      // A citizen, and a credential_changed email that the SMTP peer holds in the middle of its DATA.
      const temporaryPassword = 'Provvisoria-2026';
      const created = await call(service, 'POST', '/api/v1/admin/accounts', { token: serviceAdminToken,
        body: { codiceFiscale, firstName: 'Anna', lastName: 'Esposito', email, temporaryPassword } });
      assert.equal(created?.status, 201, JSON.stringify(created));
      const first = await call(service, 'POST', '/api/v1/session', { body: { codiceFiscale, password: temporaryPassword } });
      const changed = await call(service, 'POST', '/api/v1/me/password', { cookie: sessionCookie(first),
        body: { currentPassword: temporaryPassword, newPassword: password } });
      assert.equal(changed?.status, 204, JSON.stringify(changed));
      await smtp.firstHeld;
      const heldIds = (await schema.client.query<{ id: string }>(`SELECT id FROM outbox WHERE status = 'pending' AND attempts > 0`)).rows.map((r) => r.id);
      assert.ok(heldIds.length > 0, 'a message is claimed and being sent');

      // Sign-ins that queue for argon2; SIGTERM once the service has received all of them. Not
      // sooner: a request the client sent but the service had not yet read (still in the
      // listen backlog, or its connection accepted after close began) is rightly refused.
      const received = receivedSignIns(service.child);
      let terminatedAt = 0;
      const signIns = Array.from({ length: 40 }, () => call(service, 'POST', '/api/v1/session', { body: { codiceFiscale, password } })
        .then((answer) => ({ status: answer?.status ?? 'connection failed', afterTerm: terminatedAt > 0 })));
      await received.reach(signIns.length);
      terminatedAt = Date.now();
      service.child.kill('SIGTERM');

      let refused = false;
      for (let i = 0; i < 100 && !refused; i++) {
        refused = await connectionRefused();
        if (!refused) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(refused, 'a new connection is refused while the service drains');
      assert.equal(service.child.exitCode, null, 'still draining: the worker is in the middle of a message');

      const answers = await Promise.all(signIns);
      assert.deepEqual(answers.filter((a) => a.status !== 200), [], 'every accepted sign-in is answered, none dropped');
      assert.ok(answers.some((a) => a.afterTerm), 'some sign-ins were still in flight at SIGTERM (else this test proves nothing)');
      assert.equal(service.child.exitCode, null, 'the worker still holds its message');

      smtp.release();
      const bound = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000).unref());
      const exit = await Promise.race([service.exited, bound]);
      assert.deepEqual(exit, { code: 0, signal: null }, `exits 0 once drained; stderr: ${service.stderr()}`);
      assert.ok(smtp.delivered.length >= 1, 'the message the worker held was handed over');
      const states = await schema.client.query<{ status: string }>(`SELECT status FROM outbox WHERE id = ANY($1)`, [heldIds]);
      assert.deepEqual(states.rows.map((r) => r.status), heldIds.map(() => 'sent'), 'marked sent before exit: no lease left to expire, no second copy');
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
      await service.exited;
    }
  });
});
