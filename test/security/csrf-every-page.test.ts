// S24: every POST of the page scopes checks the CSRF token, whatever the route, because the
// check is the scope's hook and not each route's option. The list of routes comes from the
// app itself, so a page route added later is covered without touching this test.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { registerCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let cookie: string;
before(async () => {
  t = await startTestApp();
  await registerCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', temporaryPassword: 'Provvisoria-2026' });
  const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password: 'Provvisoria-2026' } });
  cookie = sessionCookieOf(signedIn);
});
after(() => t.close());

const concrete = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => (name === 'id' ? '00000000-0000-4000-8000-000000000000' : 'x'));

test('the page scopes hold the forms of every flow', () => {
  const posts = t.app.pageRoutes.filter((route) => route.method === 'POST').map((route) => route.url);
  for (const url of ['/signin', '/area/password', '/recovery/password', '/recovery/pin', '/area/pin/change/confirm', '/assistance', '/desk/signin',
    '/desk/requests/:id/resolve', '/appointments', '/area/contacts/email', '/area/contacts/mobile/code', '/area/contacts/pec/code/resend']) assert.ok(posts.includes(url), `${url} is a page route`);
});

test('a POST without the token answers 403 csrf_invalid on every page route, signed in or not', async () => {
  const posts = t.app.pageRoutes.filter((route) => route.method === 'POST');
  assert.ok(posts.length >= 15, `found ${posts.length} page POST routes`);
  for (const { url } of posts) {
    for (const headers of [{}, { cookie }]) {
      const response = await t.app.inject({ method: 'POST', url: concrete(url), payload: 'codiceFiscale=RSSMRA85T10A562S',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(response.statusCode, 403, `${url} ${JSON.stringify(headers)}: ${response.statusCode}`);
      assert.ok(response.body.includes('Il modulo è scaduto'), `${url} says why`);
    }
  }
});

test('a forged token is refused too', async () => {
  const response = await t.app.inject({ method: 'POST', url: '/area/password', payload: '_csrf=forged&newPassword=x&confirmPassword=x',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(response.statusCode, 403);
});
