// S38: while the database is unreachable every request answers 503 `unavailable` with
// Retry-After (a page for browsers, a problem document for the API), never 500; when it
// comes back the service carries on without a restart. Regression: an outage answered 500
// (1,300 of them in 13 s) while /readyz said 503.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { Db } from '../../src/store/db.ts';
import { isDependencyOutage } from '../../src/store/outage.ts';
import { activateCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';

const password = 'Tramonto-Viola!Sul-Po7';

/** Makes every call to the database fail as a refused connection does, until restored. */
function cutDatabase(db: Db, reason: Error): () => void {
  const saved = { query: db.query, transaction: db.transaction, ping: db.ping };
  const fail = async () => { throw reason; };
  Object.assign(db, { query: fail, transaction: fail, ping: fail });
  return () => Object.assign(db, saved);
}

async function refusedConnectionError(): Promise<Error> {
  const pool = new pg.Pool({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 2000 });
  try {
    await pool.query('SELECT 1');
    throw new Error('port 1 answered');
  } catch (error) {
    return error as Error;
  } finally {
    await pool.end();
  }
}

describe('S38 database outage', () => {
  let t: TestApp;
  let cookie: string;
  let outage: Error;
  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', password });
    cookie = sessionCookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password } }));
    outage = await refusedConnectionError();
  });
  after(() => t.close());

  test('a refused connection from node-postgres is an outage; an SQL error is not', async () => {
    assert.ok(isDependencyOutage(outage), String(outage));
    const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' });
    assert.equal(isDependencyOutage(syntax), false);
    assert.equal(isDependencyOutage(new TypeError('x is undefined')), false);
  });

  test('API and pages answer 503 with Retry-After while the database is down, then recover by themselves', async () => {
    const restore = cutDatabase(t.deps.db, outage);
    try {
      const requests = [
        { method: 'POST' as const, url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password } },
        { method: 'GET' as const, url: '/api/v1/me', headers: { cookie } },
        { method: 'POST' as const, url: '/api/v1/recovery/password', payload: { codiceFiscale: 'RSSMRA85T10A562S', channel: 'email', email: 'mario@example.it' } },
      ];
      for (const request of requests) {
        const response = await t.app.inject(request);
        assert.equal(response.statusCode, 503, `${request.method} ${request.url}: ${response.body}`);
        assert.equal(response.json().code, 'unavailable');
        assert.equal(response.headers['retry-after'], '5');
        assert.doesNotMatch(response.body, /ECONNREFUSED|127\.0\.0\.1:1|node_modules/, 'S28: no library detail');
      }
      const page = await t.app.inject({ method: 'GET', url: '/area', headers: { cookie } });
      assert.equal(page.statusCode, 503);
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.match(page.body, /non disponibile/);
      assert.equal((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
    } finally {
      restore();
    }
    assert.equal((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode, 200, 'the session survived');
  });
});
