// Bad input never yields a 5xx: every JSON route answers 4xx problem documents (issue 2).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { adminToken, startTestApp, type TestApp } from '../helpers/app.ts';

describe('bad input', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(); });
  after(() => t.close());

  const post = (url: string, payload: string, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, authorization: `Bearer ${adminToken}` } });

  test('malformed JSON → 400 invalid_request', async () => {
    const response = await post('/api/v1/session', '{"codiceFiscale": ');
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'invalid_request');
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
  });

  test('an unknown field is named in errors[]', async () => {
    const response = await post('/api/v1/session', JSON.stringify({ codiceFiscale: 'RSSMRA85T10A562S', password: 'x', admin: true }));
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json().errors.map((e: { field: string }) => e.field), ['admin']);
  });

  test('a wrong type and an over-long string are refused', async () => {
    assert.equal((await post('/api/v1/session', JSON.stringify({ codiceFiscale: 42, password: 'x' }))).json().code, 'invalid_request');
    const long = await post('/api/v1/session', JSON.stringify({ codiceFiscale: 'A'.repeat(41), password: 'x' }));
    assert.equal(long.statusCode, 400);
    assert.equal(long.json().errors[0].field, 'codiceFiscale');
  });

  test('an oversize body is refused with 400, never read whole', async () => {
    const response = await post('/api/v1/session', JSON.stringify({ codiceFiscale: 'x', password: 'y'.repeat(2_000_000) }));
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'invalid_request');
  });

  test('a non-JSON content type on a JSON route → 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await post('/api/v1/session', 'codiceFiscale=x&password=y', type);
      assert.equal(response.statusCode, 415, type);
      assert.equal(response.json().code, 'unsupported_media_type');
    }
  });

  test('a malformed codice fiscale → 400 invalid_codice_fiscale', async () => {
    const response = await post('/api/v1/session', JSON.stringify({ codiceFiscale: 'RSSMRA85T10A562X', password: 'x' }));
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'invalid_codice_fiscale');
  });

  test('problem titles follow the request language', async () => {
    const body = JSON.stringify({ codiceFiscale: 'nope', password: 'x' });
    const titles = await Promise.all(['it', 'en', 'ro'].map(async (lang) =>
      (await t.app.inject({ method: 'POST', url: `/api/v1/session?lang=${lang}`, payload: body, headers: { 'content-type': 'application/json' } })).json().title));
    assert.equal(new Set(titles).size, 3);
    const english = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: body,
      headers: { 'content-type': 'application/json', 'accept-language': 'en-GB,en;q=0.9' } });
    assert.equal(english.json().title, titles[1]);
  });

  test('random bodies on every JSON route never produce a 5xx', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).filter((m) => ['post', 'put', 'patch'].includes(m)).map((method) => ({ method, path })));
    assert.ok(routes.length >= 4, `routes: ${JSON.stringify(routes)}`);
    const bodies = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.constantFrom('codiceFiscale', 'password', 'pin', 'newPassword', 'email', 'code', 'name', 'token', 'x'),
        fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constant(null), fc.boolean())),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), bodies, async (route, body) => {
        const url = route.path.replace(/\{[^}]+\}/g, 'RSSMRA85T10A562S');
        const response = await post(url, JSON.stringify(body));
        assert.ok(response.statusCode < 500, `${route.method} ${url} ${JSON.stringify(body)} → ${response.statusCode} ${response.body}`);
      }),
      { numRuns: 150 },
    );
  });
});
