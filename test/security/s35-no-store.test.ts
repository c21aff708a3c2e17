// S35 (and S25 "no-store on every response that shows a secret") as a table over the whole
// service: every page GET route the app registered and every GET operation of /openapi.json,
// asked with a citizen session, answers Cache-Control no-store, so no shared cache or CDN can
// give one citizen's page to another. S21: sign-out destroys the server-side session.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { activateCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';

const password = 'Tramonto-Viola!Sul-Po7';

describe('S35 session-dependent responses are never cached', () => {
  let t: TestApp;
  let cookie: string;
  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', password });
    cookie = sessionCookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password } }));
  });
  after(() => t.close());

  test('every page and every JSON GET answered with the session says no-store', async () => {
    const pages = t.app.pageRoutes.filter((r) => r.method === 'GET' && !r.url.includes(':') && !r.url.includes('*')).map((r) => r.url);
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).filter(([path, ops]) => ops.get && !path.includes('{')).map(([path]) => path);
    assert.ok(pages.length >= 20 && operations.length >= 8, `${pages.length} pages, ${operations.length} operations`);
    const checked: string[] = [];
    for (const url of [...pages, ...operations]) {
      if (['/healthz', '/readyz', '/metrics'].includes(url)) continue; // no session in them
      const response = await t.app.inject({ method: 'GET', url, headers: { cookie } });
      if (response.statusCode >= 300 && response.statusCode < 400) continue; // a redirect has no body to cache
      if (String(response.headers['content-type']).startsWith('text/css')) continue; // a stylesheet, the same for everyone
      assert.match(String(response.headers['cache-control']), /no-store/, `${url} → ${response.statusCode} ${response.headers['cache-control']}`);
      checked.push(url);
    }
    assert.ok(checked.includes('/area') && checked.includes('/api/v1/me'), checked.join(' '));
  });
});

describe('S21 sign-out destroys the server-side session', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', password });
  });
  after(() => t.close());

  test('the old cookie is dead after DELETE /api/v1/session, even replayed', async () => {
    const cookie = sessionCookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password } }));
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } })).statusCode, 204);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode, 401);
  });

  test('idle for more than 30 minutes, the session is gone', async () => {
    const cookie = sessionCookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password } }));
    t.clock.advance(31 * 60);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode, 401);
  });
});
