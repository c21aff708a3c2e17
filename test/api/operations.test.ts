// Health, readiness, metrics, OpenAPI and security headers (issue 2, S25, S28).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';

describe('operations', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  test('/healthz and /readyz answer 200 while the database answers', async () => {
    assert.equal((await t.app.inject('/healthz')).statusCode, 200);
    assert.equal((await t.app.inject('/readyz')).statusCode, 200);
  });

  test('/readyz answers 503 while the database is down and recovers by itself', async () => {
    const realPing = t.deps.db.ping;
    t.deps.db.ping = async () => { throw new Error('connection refused'); };
    try {
      assert.equal((await t.app.inject('/readyz')).statusCode, 503);
    } finally {
      t.deps.db.ping = realPing;
    }
    assert.equal((await t.app.inject('/readyz')).statusCode, 200);
  });

  test('/metrics speaks the Prometheus text format', async () => {
    await t.app.inject('/healthz');
    const response = await t.app.inject('/metrics');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /text\/plain/);
    assert.match(response.body, /varco_http_request_duration_seconds_bucket/);
  });

  test('/openapi.json describes the API routes', async () => {
    const spec = (await t.app.inject('/openapi.json')).json();
    assert.equal(spec.openapi, '3.1.0');
    for (const path of ['/api/v1/session', '/api/v1/me', '/api/v1/me/activity', '/api/v1/me/password',
      '/api/v1/admin/accounts', '/api/v1/admin/administrations', '/api/v1/admin/operators']) {
      assert.ok(spec.paths[path], `${path} documented`);
    }
  });

  test('pages carry CSP without unsafe-inline, no framing, nosniff, no-referrer and no-store (S25)', async () => {
    const response = await t.app.inject('/signin');
    assert.equal(response.statusCode, 200);
    const csp = response.headers['content-security-policy'] as string;
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['referrer-policy'], 'no-referrer');
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('a 404 tells nothing about the stack (S28)', async () => {
    const api = await t.app.inject('/api/v1/nothing-here');
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().code, 'not_found');
    const page = await t.app.inject('/nothing-here');
    assert.equal(page.statusCode, 404);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assert.doesNotMatch(page.body + api.body, /node_modules|at .*\.ts:\d+|fastify/i);
  });
});
