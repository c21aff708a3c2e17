// S38 with a real PostgreSQL connection cut in the middle of each flow (a TCP proxy in front
// of the server, not a stubbed Db): every request during the cut answers 503 `unavailable`
// with Retry-After (a problem document for the API, a page for browsers), nothing is
// half-written, and once the connection comes back the same flow carries on, no restart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { activateCitizen, mailbox, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { openIsolatedPostgres, runningInCi, testDatabaseUrl } from '../helpers/db.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

const serverUrl = testDatabaseUrl ?? (runningInCi ? 'postgres://postgres@127.0.0.1:5432/test' : undefined);
const password = 'Tramonto-Viola!Sul-Po7';
const newPassword = 'Girasole-Blu!Sul-Tevere9';
const recoveredPassword = 'Lanterna-Rossa!Sul-Arno4';
const cf = 'RSSMRA85T10A562S';

describe('S38 PostgreSQL connection cut mid-flow', { skip: !serverUrl && 'needs TEST_DATABASE_URL (PostgreSQL)' }, () => {
  let t: TestApp;
  let proxy: TcpProxy;
  before(async () => {
    const url = new URL(serverUrl!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    t = await startTestApp({}, { db: await openIsolatedPostgres(url.toString()) });
    await activateCitizen(t.app, { codiceFiscale: cf, email: 'mario@example.it', password });
  });
  after(async () => {
    proxy.restore();
    await t.close();
    await proxy.close();
  });

  async function assertOutage(request: InjectOptions, page = false) {
    const response = await t.app.inject(request);
    assert.equal(response.statusCode, 503, `${response.statusCode} ${response.body.slice(0, 200)}`);
    assert.equal(response.headers['retry-after'], '5');
    if (page) {
      assert.match(String(response.headers['content-type']), /text\/html/);
      assert.match(response.body, /non disponibile/);
    } else {
      assert.equal(response.json().code, 'unavailable');
    }
    assert.doesNotMatch(response.body, /ECONN|terminated|node_modules|pg-pool/);
  }

  test('a cut while a transaction holds its connection fails that transaction, not the process', async () => {
    const pending = t.deps.db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await new Promise((resolve) => setTimeout(resolve, 300)); // the handler busy (hashing) between two queries
      await tx.query('SELECT 1');
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    proxy.cut();
    await assert.rejects(pending);
    proxy.restore();
    assert.equal((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  });

  test('sign-in: API and page answer 503 during the cut, sign in again after', async () => {
    const signInPage = await t.app.inject({ method: 'GET', url: '/signin' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(signInPage.body)?.[1] ?? '';
    const csrfCookie = `varco_csrf=${signInPage.cookies.find((c) => c.name === 'varco_csrf')!.value}`;
    proxy.cut();
    await assertOutage({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } });
    await assertOutage({ method: 'POST', url: '/signin', headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ method: 'password', codiceFiscale: cf, password, _csrf: csrf }).toString() }, true);
    assert.equal((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
    proxy.restore();
    assert.equal((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } })).statusCode, 200);
  });

  test('password change cut: the old password still works (nothing half-written), the change goes through after', async () => {
    const cookie = sessionCookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } }));
    proxy.cut();
    await assertOutage({ method: 'POST', url: '/api/v1/me/password', headers: { cookie }, payload: { currentPassword: password, newPassword } });
    await assertOutage({ method: 'GET', url: '/area', headers: { cookie } }, true);
    proxy.restore();
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } })).statusCode, 200, 'old password');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password: newPassword } })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode, 200, 'the session survived the cut');
    const changed = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie }, payload: { currentPassword: password, newPassword } });
    assert.equal(changed.statusCode, 204, changed.body);
  });

  test('recovery: started, cut at completion, completed once after', async () => {
    const before = (await mailbox(t.app, 'mario@example.it')).length;
    const started = await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload: { codiceFiscale: cf, channel: 'email', email: 'mario@example.it' } });
    assert.equal(started.statusCode, 202);
    proxy.cut();
    await assertOutage({ method: 'POST', url: '/api/v1/recovery/password', payload: { codiceFiscale: cf, channel: 'email', email: 'mario@example.it' } });
    proxy.restore();
    const mails = await mailbox(t.app, 'mario@example.it');
    const link = mails.slice(before).find((m) => m.kind === 'password_reset_link');
    assert.ok(link, 'the link of the start before the cut was sent');
    const token = /\/recovery\/password\/([A-Za-z0-9_-]+)/.exec(link.text)![1]!;
    proxy.cut();
    await assertOutage({ method: 'POST', url: '/api/v1/recovery/password/complete', payload: { token, newPassword: recoveredPassword } });
    proxy.restore();
    const completed = await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password/complete', payload: { token, newPassword: recoveredPassword } });
    assert.equal(completed.statusCode, 204, `the token survived the failed attempt: ${completed.body}`);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password/complete', payload: { token, newPassword: recoveredPassword } });
    assert.equal(again.statusCode, 410);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password: recoveredPassword } })).statusCode, 200);
  });
});
