// S1 and S3 of SECURITY.md over EVERY way a citizen signs in (issue 13): the JSON operation
// and the sign-in form, each with a password and with a PIN. For each, a wrong secret for a
// real account and any secret for a codice fiscale nobody holds answer alike: status, body,
// headers (but the date and the request id) and cookies (names and attributes; their values
// are fresh random tokens either way). The attempts-left countdown and the lock after
// LOCKOUT_THRESHOLD failures are the same for both (S3).
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { after, before, describe, test } from 'node:test';
import { adminToken, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { createFastHasher } from '../helpers/fast-hasher.ts';
import { citizenWithActivePin, codiceFiscaleFor, registerPinCitizen, temporaryPassword } from '../helpers/pin.ts';

interface Method {
  name: string;
  /** Whose sign-in: a citizen's (password and PIN) or an operator's (the desk's back office). */
  who?: 'operator';
  /** A secret of the right shape that is nobody's. */
  wrong: string;
  attempt(t: TestApp, codiceFiscale: string, secret: string, remoteAddress?: string): Promise<LightMyRequestResponse>;
}

const json = (field: 'password' | 'pin'): Method['attempt'] => (t, codiceFiscale, secret, remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress, payload: { codiceFiscale, [field]: secret } });

/** A browser of its own: the sign-in page, then its form posted with the page's CSRF token. */
const form = (field: 'password' | 'pin', path = '/signin'): Method['attempt'] => async (t, codiceFiscale, secret, remoteAddress = '127.0.0.1') => {
  const page = await t.app.inject({ method: 'GET', url: path === '/signin' ? `/signin?method=${field}` : path, remoteAddress });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const csrfCookie = page.cookies.find((c) => c.name === 'varco_csrf')!.value;
  return t.app.inject({ method: 'POST', url: path, remoteAddress, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `varco_csrf=${csrfCookie}` },
    payload: new URLSearchParams({ ...(path === '/signin' ? { method: field } : {}), codiceFiscale, [field]: secret, _csrf: csrf }).toString() });
};

const methods: Method[] = [
  { name: 'JSON sign-in with a password', wrong: 'Sbagliata-2026!x', attempt: json('password') },
  { name: 'JSON sign-in with a PIN', wrong: 'AbCdEfGh', attempt: json('pin') },
  { name: 'sign-in form with a password', wrong: 'Sbagliata-2026!x', attempt: form('password') },
  { name: 'sign-in form with a PIN', wrong: 'AbCdEfGh', attempt: form('pin') },
  { name: 'desk sign-in form (operators)', who: 'operator', wrong: 'Sbagliata-2026!x', attempt: form('password', '/desk/signin') },
];

const varying = new Set(['date', 'x-request-id', 'set-cookie', 'content-length']);

/** What the answer tells, with the codice fiscale asked about and the random tokens taken out. */
function told(response: LightMyRequestResponse, codiceFiscale: string) {
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !varying.has(name)));
  const cookies = response.cookies.map(({ value: _value, ...attributes }) => attributes);
  const body = response.body.replaceAll(codiceFiscale, '<CF>')
    .replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value="<token>"')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>');
  return { status: response.statusCode, headers, cookies, body };
}

describe('unknown account and wrong secret alike, on every sign-in method (S1, S3)', () => {
  let t: TestApp;
  let index = 3000;
  before(async () => {
    t = await startTestApp({ LOCKOUT_THRESHOLD: '3', LOCKOUT_SECONDS: '900' }, { hasher: createFastHasher() });
  });
  after(() => t.close());

  /** A citizen with a password of their own and an active PIN (or an operator with a password), and a codice fiscale nobody holds. */
  async function pair(who?: 'operator'): Promise<{ known: string; unknown: string }> {
    if (who === 'operator') {
      const codiceFiscale = codiceFiscaleFor(index++);
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/admin/operators', headers: { authorization: `Bearer ${adminToken}` },
        payload: { codiceFiscale, firstName: 'Luigi', lastName: 'Verdi', email: `operatore${index}@example.it`, password: 'Tramonto-Viola!Sul-Po7' } });
      assert.equal(created.statusCode, 201, created.body);
      return { known: codiceFiscale, unknown: codiceFiscaleFor(index++) };
    }
    const citizen = await registerPinCitizen(t, index++);
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: citizen.codiceFiscale, password: temporaryPassword } });
    await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: sessionCookieOf(first) },
      payload: { currentPassword: temporaryPassword, newPassword: 'Tramonto-Viola!Sul-Po7' } });
    await citizenWithActivePin(t, citizen);
    return { known: citizen.codiceFiscale, unknown: codiceFiscaleFor(index++) };
  }

  for (const method of methods) {
    test(`S01 ${method.name}: a wrong secret and an unknown codice fiscale answer alike, attempt after attempt`, async () => {
      const { known, unknown } = await pair(method.who);
      for (let attempt = 1; attempt <= 2; attempt++) {
        const wrong = await method.attempt(t, known, method.wrong);
        const nobody = await method.attempt(t, unknown, method.wrong);
        assert.ok([400, 401].includes(wrong.statusCode), `refused: ${wrong.statusCode} ${wrong.body.slice(0, 200)}`);
        assert.deepEqual(told(nobody, unknown), told(wrong, known), `attempt ${attempt}`);
      }
    });

    test(`S03 ${method.name}: the lock comes after as many failures, and says the same, for an unknown codice fiscale`, async () => {
      const { known, unknown } = await pair(method.who);
      for (let attempt = 1; attempt <= 3; attempt++) {
        assert.deepEqual(told(await method.attempt(t, unknown, method.wrong), unknown), told(await method.attempt(t, known, method.wrong), known),
          `failure ${attempt}`);
      }
      const locked = await method.attempt(t, known, method.wrong);
      const lockedNobody = await method.attempt(t, unknown, method.wrong);
      assert.equal(locked.statusCode, 423, `locked: ${locked.body.slice(0, 200)}`);
      assert.deepEqual(told(lockedNobody, unknown), told(locked, known), 'the lock');
    });
  }

  test('S03 a correct password during the lock is refused like any other attempt', async () => {
    const { known } = await pair();
    for (let attempt = 1; attempt <= 3; attempt++) await methods[0]!.attempt(t, known, 'Sbagliata-2026!x');
    const right = await methods[0]!.attempt(t, known, 'Tramonto-Viola!Sul-Po7');
    assert.deepEqual([right.statusCode, right.json().code], [423, 'account_locked']);
  });
});

describe('the per-address sign-in limit counts unknown codici fiscali like real ones, on every sign-in method (S3, S17)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ RATE_LIMIT_SIGNIN_PER_IP_PER_MINUTE: '3', LOCKOUT_THRESHOLD: '1000' }, { hasher: createFastHasher() });
  });
  after(() => t.close());

  methods.forEach((method, n) => {
    test(`S03 ${method.name}: attempts on unknown codici fiscali spend the address's budget, and the refusal reads the same`, async () => {
      const known = codiceFiscaleFor(4000 + n);
      const [fromUnknown, fromKnown] = [`203.0.113.${2 * n + 1}`, `203.0.113.${2 * n + 2}`];
      for (let attempt = 1; attempt <= 3; attempt++) {
        await method.attempt(t, codiceFiscaleFor(4100 + 10 * n + attempt), method.wrong, fromUnknown);
        await method.attempt(t, known, method.wrong, fromKnown);
      }
      const afterUnknown = await method.attempt(t, known, method.wrong, fromUnknown);
      const afterKnown = await method.attempt(t, known, method.wrong, fromKnown);
      assert.equal(afterUnknown.statusCode, 429, `the address is limited after three unknown codici fiscali: ${afterUnknown.body.slice(0, 200)}`);
      assert.deepEqual(told(afterUnknown, known), told(afterKnown, known));
    });
  });
});
