// S24, S28, S37 by property over EVERY form (every POST of the page scopes, listed by the app
// itself): hostile fields under a valid CSRF token, anonymous and signed in, raw bodies no
// browser sends, and header abuse. Never a 5xx, never a stack trace, SQL or path, and a form
// refused as invalid (400), forged (403) or of the wrong type (415) leaves the database as it was.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { activateCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseFingerprint, fuzzRuns, hostileHeaders, hostileString, leakPattern } from '../helpers/fuzz.ts';

const password = 'Tramonto-Viola!Sul-Po7';
const fieldNames = ['codiceFiscale', 'password', 'pin', 'email', 'mobile', 'pec', 'code', 'token', 'newPassword', 'confirmPassword',
  'currentPassword', 'message', 'category', 'note', 'outcome', 'identityVerified', 'captcha', 'captchaChallenge', 'captchaAnswer', 'method',
  'next', 'channel', 'question', 'answer', 'officeId', 'slot', 'startsAt', 'firstName', 'lastName', 'lang', 'recoveryCode', 'oldPin', 'newPin',
  'verificationCode', 'idp', 'level', 'RelayState', 'SAMLResponse', 'uid', 'prompt'];
const wellFormed = (s: string) => (s as unknown as { toWellFormed(): string }).toWellFormed();
const concrete = (url: string, value: string) => url.replace(/:(\w+)/g, () => encodeURIComponent(value));

interface Visitor { cookie: string; csrf: string }

async function visitorOf(t: TestApp, page: string, cookie = ''): Promise<Visitor> {
  const response = await t.app.inject({ method: 'GET', url: page, headers: cookie ? { cookie } : {} });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
  const secret = response.cookies.find((c) => c.name === 'varco_csrf');
  assert.ok(csrf && secret, `${page} gives a CSRF token`);
  return { cookie: [cookie, `varco_csrf=${secret.value}`].filter(Boolean).join('; '), csrf };
}

describe('S24 fuzz: every form', () => {
  let t: TestApp;
  const visitors: Record<string, Visitor> = {};
  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', mobile: '+393331234567', password });
    const session = sessionCookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password } }));
    visitors.anonymous = await visitorOf(t, '/signin');
    visitors.citizen = await visitorOf(t, '/area/password', session);
  });
  after(() => t.close());

  async function post(url: string, payload: string, headers: Record<string, string>) {
    const before = await databaseFingerprint(t.deps.db);
    const response = await t.app.inject({ method: 'POST', url, payload, headers });
    const where = `POST ${url.slice(0, 120)} [${headers['content-type']}] ${payload.slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 200)}`;
    assert.ok(response.statusCode < 500, where);
    assert.doesNotMatch(response.body, leakPattern, `S28: ${where}`);
    if ([400, 403, 415].includes(response.statusCode)) assert.equal(await databaseFingerprint(t.deps.db), before, `refused, yet the database changed: ${where}`);
  }

  test('hostile fields under a valid token, anonymous and signed in, on every form', async () => {
    const forms = t.app.pageRoutes.filter((route) => route.method === 'POST');
    assert.ok(forms.length >= 15, `${forms.length} forms`);
    for (const { url } of forms) {
      await fc.assert(fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...fieldNames), hostileString.map(wellFormed), { maxKeys: 6 }),
        fc.constantFrom('anonymous', 'citizen'), hostileString.filter((s) => s.length > 0 && s.length < 500).map(wellFormed),
        fc.option(hostileHeaders, { nil: undefined }),
        async (fields, who, param, abuse) => {
          const visitor = visitors[who]!;
          const payload = new URLSearchParams({ ...fields, _csrf: visitor.csrf }).toString();
          const headers = { ...(abuse ?? {}), 'content-type': abuse?.['content-type'] ?? 'application/x-www-form-urlencoded', cookie: visitor.cookie };
          await post(concrete(url, param), payload, headers);
        },
      ), { numRuns: fuzzRuns });
    }
  });

  test('raw bodies no browser sends', async () => {
    const forms = t.app.pageRoutes.filter((route) => route.method === 'POST');
    for (const { url } of forms) {
      for (const raw of ['%', 'a=%zz', '%00=%00', 'a[b][c]=1&a[b][c]=2', '_csrf=' + visitors.anonymous!.csrf + '&'.repeat(5000), 'x='.repeat(20_000), '\u0000']) {
        await post(concrete(url, 'x'), raw, { 'content-type': 'application/x-www-form-urlencoded', cookie: visitors.anonymous!.cookie });
      }
    }
  });
});
