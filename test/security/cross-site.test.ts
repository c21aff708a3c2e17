// S36: a state-changing request authenticated by the session cookie, body or not, is refused
// when its Origin or Sec-Fetch-Site says it comes from another site. Regression: a bodiless
// `POST /api/v1/me/pin/revoke` with `Origin: https://evil.example` answered 204.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { citizenWithActivePin, registerPinCitizen } from '../helpers/pin.ts';

describe('S36 cross-site requests with the session cookie', () => {
  let t: TestApp;
  let cookie: string;
  before(async () => {
    t = await startTestApp();
    const citizen = await registerPinCitizen(t, 60);
    const pin = await citizenWithActivePin(t, citizen);
    cookie = sessionCookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: citizen.codiceFiscale, pin } }));
  });
  after(() => t.close());

  const pinState = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json().pin.state;

  test('a bodiless revocation from https://evil.example is refused and changes nothing', async () => {
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/me/pin/revoke', headers: { cookie, origin: 'https://evil.example' } });
    assert.deepEqual([refused.statusCode, refused.json().code], [403, 'csrf_invalid']);
    assert.equal(await pinState(), 'active');
  });

  test('Sec-Fetch-Site cross-site or same-site is refused; Origin null too', async () => {
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }]) {
      const refused = await t.app.inject({ method: 'POST', url: '/api/v1/me/pin/revoke', headers: { cookie, ...headers } });
      assert.equal(refused.statusCode, 403, JSON.stringify(headers));
    }
    assert.equal(await pinState(), 'active');
  });

  test('every state-changing API operation refuses a cross-site request carrying the cookie', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).filter((m) => ['post', 'put', 'patch', 'delete'].includes(m)).map((method) => ({ method, path })));
    assert.ok(operations.length > 10, 'the contract lists the operations');
    for (const { method, path } of operations) {
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const response = await t.app.inject({ method: method.toUpperCase() as 'POST', url, headers: { cookie, origin: 'https://evil.example' } });
      assert.equal(response.statusCode, 403, `${method.toUpperCase()} ${path}`);
    }
    assert.equal(await pinState(), 'active');
  });

  test('the same request from Varco itself, or from a client that is not a browser, goes through', async () => {
    const sameOrigin = await t.app.inject({ method: 'POST', url: '/api/v1/me/pin/change', headers: { cookie, origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' } });
    assert.equal(sameOrigin.statusCode, 200);
    const noBrowser = await t.app.inject({ method: 'POST', url: '/api/v1/me/pin/change', headers: { cookie } });
    assert.equal(noBrowser.statusCode, 200);
  });
});

describe('framing', () => {
  test('X-Frame-Options says DENY, as frame-ancestors says none', async () => {
    const t = await startTestApp();
    try {
      const page = await t.app.inject({ method: 'GET', url: '/signin' });
      assert.equal(page.headers['x-frame-options'], 'DENY');
      assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
    } finally {
      await t.close();
    }
  });
});
