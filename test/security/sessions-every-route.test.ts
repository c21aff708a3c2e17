// S19, S21, S22, S23 of SECURITY.md over EVERY route a citizen's session opens (issue 13):
// the JSON operations whose /openapi.json security is the session cookie, and the pages of the
// citizen scope (web/scopes.ts, app.pageRoutes). A route added to either is swept too.
// - S21: idle 30 minutes, or 12 hours since sign-in however active: every route refuses.
// - S23: a session with a required action pending is refused everywhere but where it is resolved.
// - S22: a password change, a password reset, a PIN change or a PIN reset ends every other session.
// - S19: every kind of sign-in and every privilege change gives a new session id; the old one dies.
// "Refused" is exact: 401 unauthenticated (403 action_required) from the API, a redirect to the
// sign-in page (to the page of the pending action) from a page. A body the route would reject
// as invalid could hide the session check, so each operation with a body has a valid sample.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { after, before, describe, test } from 'node:test';
import { requiredActionPages, type RequiredAction } from '../../src/domain/required-actions.ts';
import { mailbox, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { createFastHasher } from '../helpers/fast-hasher.ts';
import { formClient } from '../helpers/form-client.ts';
import {
  citizenWithActivePin, issueBySteps, issuedPin, registerPinCitizen, signInWithPin, temporaryPassword, type PinCitizen,
} from '../helpers/pin.ts';

interface SessionRoute {
  kind: 'api' | 'page';
  method: string;
  /** As documented: /api/v1/me/pin/change/{changeId} or /area/sessions/:sessionId/end. */
  path: string;
}

type Refusal = { unauthenticated: true } | { action: RequiredAction };

/** Valid bodies for the operations that take one (wrong secrets: they must never be reached). */
const samples: Record<string, object> = {
  'POST /api/v1/me/password': { currentPassword: 'Sbagliata-1!Ab', newPassword: 'Nuvola@Rosa-Vento9' },
  'POST /api/v1/me/pin/change/{changeId}': { oldPin: 'ABCDEFGH', newPin: 'ABCDEFGH' },
  'PUT /api/v1/me/contacts': { email: 'altro@example.it' },
  'POST /api/v1/me/contacts/confirm': { contact: 'email', code: '000000' },
  'PUT /api/v1/me/security-question': { question: 'Come si chiamava il mio primo gatto?', answer: 'Micio Rosso' },
  'POST /api/v1/me/email/verification/confirm': { code: '000000' },
  'POST /api/v1/me/mobile/verification/confirm': { code: '000000' },
  'POST /area/email/verify': { code: '000000' },
  'POST /area/mobile/verify': { code: '000000' },
  'POST /area/security-question': { question: 'Come si chiamava il mio primo gatto?', answer: 'Micio Rosso' },
};

/** Where each required action is resolved (API.md; GET /api/v1/me reports the actions and stays readable). */
const resolving: Partial<Record<RequiredAction, string[]>> = {
  change_password: ['GET /api/v1/me', 'POST /api/v1/me/password', 'GET /area/password', 'POST /area/password'],
  change_pin: ['GET /api/v1/me', 'POST /api/v1/me/pin/change', 'POST /api/v1/me/pin/change/{changeId}', 'POST /api/v1/me/pin/revoke',
    'GET /area/pin/change', 'POST /area/pin/change/propose', 'POST /area/pin/change/confirm', 'POST /area/pin/revoke'],
};

const anyId = '00000000-0000-4000-8000-000000000000';
const key = (route: SessionRoute) => `${route.method} ${route.path}`;
let passwordCount = 0;
const newPassword = () => `Girasole#Lago-Blu${++passwordCount}x`;

describe('sessions over every session route (S19, S21, S22, S23)', () => {
  let t: TestApp;
  let routes: SessionRoute[];
  let citizenIndex = 2000;

  before(async () => {
    t = await startTestApp({ LOCKOUT_THRESHOLD: '1000', RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '100000', RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '1000',
      RATE_LIMIT_CODE_ENTRY_PER_IP_PER_HOUR: '100000' }, { hasher: createFastHasher() });
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { security?: Record<string, unknown>[]; requestBody?: unknown }>>;
    };
    const api = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops)
      .filter(([, op]) => op.security?.some((requirement) => 'sessionCookie' in requirement))
      .map(([method, op]) => ({ route: { kind: 'api' as const, method: method.toUpperCase(), path }, hasBody: op.requestBody !== undefined })));
    for (const { route, hasBody } of api) if (hasBody) assert.ok(samples[key(route)], `a sample body for ${key(route)}`);
    // The citizen scope, and the area's profile-completion pages, which check the session themselves
    // (they are where some required actions are resolved).
    const pages = t.app.pageRoutes.filter((r) => (r.scope === 'citizenPages' || r.url.startsWith('/area/')) && (r.method === 'GET' || r.method === 'POST'))
      .map((r) => ({ kind: 'page' as const, method: r.method, path: r.url }));
    routes = [...api.map((a) => a.route), ...pages];
    assert.ok(api.length >= 15 && pages.length >= 15, `${api.length} operations, ${pages.length} pages`);
    assert.ok(routes.some((r) => key(r) === 'GET /api/v1/me') && routes.some((r) => key(r) === 'GET /area'), routes.map(key).join(' '));
  });
  after(() => t.close());

  const post = (url: string, payload?: object, cookie?: string) =>
    t.app.inject({ method: 'POST', url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
  const alive = async (cookie: string) => (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode === 200;
  const renewed = (response: LightMyRequestResponse, cookie: string) =>
    (response.cookies.some((c) => c.name === 'varco_session' && c.value) ? sessionCookieOf(response) : cookie);

  async function activeCitizen(): Promise<PinCitizen & { password: string }> {
    const citizen = await registerPinCitizen(t, citizenIndex++);
    const first = await post('/api/v1/session', { codiceFiscale: citizen.codiceFiscale, password: temporaryPassword });
    const password = newPassword();
    const changed = await post('/api/v1/me/password', { currentPassword: temporaryPassword, newPassword: password }, sessionCookieOf(first));
    assert.equal(changed.statusCode, 204, changed.body);
    return { ...citizen, password };
  }
  async function signIn(citizen: { codiceFiscale: string; password: string }): Promise<string> {
    const response = await post('/api/v1/session', { codiceFiscale: citizen.codiceFiscale, password: citizen.password });
    assert.equal(response.statusCode, 200, response.body);
    return sessionCookieOf(response);
  }

  /** A CSRF token and its cookie, bound to what the request will carry: the live session, or none. */
  async function csrfFor(cookie: string, refusal: Refusal): Promise<{ token: string; cookie: string }> {
    const page = 'action' in refusal
      ? await t.app.inject({ method: 'GET', url: requiredActionPages[refusal.action], headers: { cookie } })
      : await t.app.inject({ method: 'GET', url: '/signin' });
    assert.equal(page.statusCode, 200, `a page with a form: ${page.statusCode}`);
    const csrfCookie = page.cookies.find((c) => c.name === 'varco_csrf')?.value;
    return { token: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!, cookie: `varco_csrf=${csrfCookie}` };
  }

  function call(route: SessionRoute, cookie: string, csrf: { token: string; cookie: string }) {
    const url = route.path.replace(/\{[^}]+\}|:[A-Za-z]+/g, anyId);
    if (route.kind === 'api') {
      const body = samples[key(route)];
      return t.app.inject({ method: route.method as 'GET', url, headers: { cookie }, ...(body ? { payload: body } : {}) });
    }
    if (route.method === 'GET') return t.app.inject({ method: 'GET', url, headers: { cookie } });
    return t.app.inject({ method: 'POST', url, headers: { cookie: `${cookie}; ${csrf.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...(samples[key(route)] as Record<string, string> | undefined), _csrf: csrf.token }).toString() });
  }

  /** Every session route, asked with this cookie, refuses it the way `refusal` says. */
  async function expectEveryRouteRefuses(cookie: string, refusal: Refusal): Promise<number> {
    const exempt = 'action' in refusal ? resolving[refusal.action] ?? [] : [];
    const csrf = await csrfFor(cookie, refusal);
    const wrong: string[] = [];
    let checked = 0;
    for (const route of routes) {
      if (exempt.includes(key(route))) continue;
      const response = await call(route, cookie, csrf);
      checked++;
      const where = `${key(route)} → ${response.statusCode} ${response.headers.location ?? response.body.slice(0, 160)}`;
      if (route.kind === 'api') {
        const [status, code] = 'action' in refusal ? [403, 'action_required'] : [401, 'unauthenticated'];
        const body = response.statusCode >= 400 ? (response.json() as { code?: string; requiredActions?: string[] }) : {};
        if (response.statusCode !== status || body.code !== code) wrong.push(where);
        else if ('action' in refusal && body.requiredActions?.[0] !== refusal.action) wrong.push(`${where} (the action is not named)`);
      } else {
        const location = String(response.headers.location ?? '');
        const expected = 'action' in refusal ? requiredActionPages[refusal.action] : '/signin';
        if (![302, 303].includes(response.statusCode) || !location.startsWith(expected)) wrong.push(where);
      }
    }
    assert.deepEqual(wrong, [], 'routes that did not refuse as they must');
    return checked;
  }

  test('S21 idle for 30 minutes: every session route refuses; a second earlier, the session lives', async () => {
    const citizen = await activeCitizen();
    const cookie = await signIn(citizen);
    t.clock.advance(30 * 60 - 1);
    assert.ok(await alive(cookie), 'a second before the idle timeout');
    t.clock.advance(30 * 60 + 1);
    const checked = await expectEveryRouteRefuses(cookie, { unauthenticated: true });
    assert.equal(checked, routes.length);
  });

  test('S21 twelve hours after sign-in, however active: every session route refuses', async () => {
    const citizen = await activeCitizen();
    const cookie = await signIn(citizen);
    for (let elapsed = 0; elapsed + 25 * 60 < 12 * 3600; elapsed += 25 * 60) {
      t.clock.advance(25 * 60);
      assert.ok(await alive(cookie), `active after ${elapsed / 60 + 25} minutes`);
    }
    t.clock.advance(12 * 3600 - Math.floor((12 * 3600 - 1) / (25 * 60)) * 25 * 60 - 1); // to 12 h less a second
    assert.ok(await alive(cookie), 'a second before the absolute timeout');
    t.clock.advance(2);
    await expectEveryRouteRefuses(cookie, { unauthenticated: true });
  });

  test('S23 a pending password change (temporary password): every other route refuses', async () => {
    const citizen = await registerPinCitizen(t, citizenIndex++);
    const signedIn = await post('/api/v1/session', { codiceFiscale: citizen.codiceFiscale, password: temporaryPassword });
    assert.deepEqual(signedIn.json().requiredActions, ['change_password']);
    await expectEveryRouteRefuses(sessionCookieOf(signedIn), { action: 'change_password' });
  });

  test('S23 a pending PIN change (initial PIN): every other route refuses', async () => {
    const citizen = await activeCitizen();
    await issueBySteps(t, citizen.codiceFiscale);
    const signedIn = await signInWithPin(t, citizen.codiceFiscale, await issuedPin(t, citizen));
    assert.deepEqual(signedIn.json().requiredActions, ['change_pin']);
    await expectEveryRouteRefuses(sessionCookieOf(signedIn), { action: 'change_pin' });
  });

  const changes: { name: string; change(citizen: PinCitizen & { password: string; pin: string }, acting: string): Promise<string | undefined> }[] = [
    { name: 'a password change', async change(citizen, acting) {
      const changed = await post('/api/v1/me/password', { currentPassword: citizen.password, newPassword: newPassword() }, acting);
      assert.equal(changed.statusCode, 204, changed.body);
      return renewed(changed, acting);
    } },
    { name: 'a password reset', async change(citizen) {
      await post('/api/v1/recovery/password', { codiceFiscale: citizen.codiceFiscale, channel: 'email', email: citizen.email });
      const text = (await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'password_reset_link').at(-1)!.text;
      const token = /\/recovery\/password\/([A-Za-z0-9_-]{43})/.exec(text)![1]!;
      assert.equal((await post('/api/v1/recovery/password/complete', { token, newPassword: newPassword() })).statusCode, 204);
      return undefined;
    } },
    { name: 'a PIN change', async change(citizen) {
      const acting = sessionCookieOf(await signInWithPin(t, citizen.codiceFiscale, citizen.pin));
      return renewed(await changePin(citizen, acting), acting);
    } },
    { name: 'a PIN reset', async change(citizen) {
      await post('/api/v1/recovery/pin', { codiceFiscale: citizen.codiceFiscale, mobile: citizen.mobile, email: citizen.email });
      const text = (await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'pin_recovery_code').at(-1)!.text;
      const recoveryCode = /\/recovery\/pin\/confirm\/(\d{8})/.exec(text)![1]!;
      const halves = (await mailbox(t.app, citizen.mobile)).filter((m) => m.kind === 'pin_first_half').length;
      assert.equal((await post('/api/v1/recovery/pin/confirm', { codiceFiscale: citizen.codiceFiscale, recoveryCode })).statusCode, 202);
      assert.equal((await mailbox(t.app, citizen.mobile)).filter((m) => m.kind === 'pin_first_half').length, halves + 1, 'a new PIN was issued');
      return undefined;
    } },
  ];

  async function changePin(citizen: PinCitizen & { pin: string }, acting: string): Promise<LightMyRequestResponse> {
    const proposal = await post('/api/v1/me/pin/change', undefined, acting);
    const { changeId, proposedPin } = proposal.json() as { changeId: string; proposedPin: string };
    const code = /\b(\d{6})\b/.exec((await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'contact_verification_code').at(-1)!.text)![1];
    const changed = await post(`/api/v1/me/pin/change/${changeId}`, { oldPin: citizen.pin, newPin: proposedPin, verificationCode: code }, acting);
    assert.equal(changed.statusCode, 204, changed.body);
    return changed;
  }

  for (const { name, change } of changes) {
    test(`S22 ${name} ends every other session: each route refuses the other session's cookie`, async () => {
      const citizen = await activeCitizen();
      const pin = await citizenWithActivePin(t, citizen);
      const acting = await signIn(citizen);
      const other = await signIn(citizen);
      assert.ok(await alive(other), 'the other session lives before');
      const stillActing = await change({ ...citizen, pin }, acting);
      if (stillActing) assert.ok(await alive(stillActing), 'the session that made the change goes on');
      await expectEveryRouteRefuses(other, { unauthenticated: true });
    });
  }

  /** The id a response set, and proof that it differs from the old one, which no longer opens anything. */
  async function expectNewId(response: LightMyRequestResponse, old: string, what: string): Promise<string> {
    const fresh = response.cookies.find((c) => c.name === 'varco_session' && c.value);
    assert.ok(fresh, `${what}: a session cookie is set (${response.statusCode} ${response.body})`);
    assert.notEqual(`varco_session=${fresh.value}`, old, `${what}: the id changed`);
    assert.match(fresh.value, /^[A-Za-z0-9_-]{43}$/, 'an opaque id of 256 bits');
    assert.ok(!(await alive(old)), `${what}: the old id opens nothing`);
    return `varco_session=${fresh.value}`;
  }

  const planted = 'varco_session=PlantedByAnAttacker0000000000000000000000000000';

  test('S19 a password sign-in never adopts the id the browser brought', async () => {
    const citizen = await activeCitizen();
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/session', headers: { cookie: planted },
      payload: { codiceFiscale: citizen.codiceFiscale, password: citizen.password } });
    assert.ok(await alive(await expectNewId(response, planted, 'password sign-in')));
    const earlier = await signIn(citizen);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/session', headers: { cookie: earlier },
      payload: { codiceFiscale: citizen.codiceFiscale, password: citizen.password } });
    assert.notEqual(sessionCookieOf(again), earlier, 'signing in over a live session gives another id');
  });

  test('S19 a PIN sign-in never adopts the id the browser brought', async () => {
    const citizen = await activeCitizen();
    const pin = await citizenWithActivePin(t, citizen);
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/session', headers: { cookie: planted },
      payload: { codiceFiscale: citizen.codiceFiscale, pin } });
    assert.ok(await alive(await expectNewId(response, planted, 'PIN sign-in')));
  });

  test('S19 the first access with a temporary password ends in a new id', async () => {
    const citizen = await registerPinCitizen(t, citizenIndex++);
    const first = sessionCookieOf(await post('/api/v1/session', { codiceFiscale: citizen.codiceFiscale, password: temporaryPassword }));
    const changed = await post('/api/v1/me/password', { currentPassword: temporaryPassword, newPassword: newPassword() }, first);
    assert.equal(changed.statusCode, 204, changed.body);
    assert.ok(await alive(await expectNewId(changed, first, 'temporary password replaced')));
  });

  test('S19 the first access with a PIN ends in a new id', async () => {
    const citizen = await activeCitizen();
    await issueBySteps(t, citizen.codiceFiscale);
    const initial = await issuedPin(t, citizen);
    const first = sessionCookieOf(await signInWithPin(t, citizen.codiceFiscale, initial));
    const proposal = await post('/api/v1/me/pin/change', undefined, first);
    const { changeId, proposedPin } = proposal.json() as { changeId: string; proposedPin: string };
    const changed = await post(`/api/v1/me/pin/change/${changeId}`, { oldPin: initial, newPin: proposedPin }, first);
    assert.equal(changed.statusCode, 204, changed.body);
    assert.ok(await alive(await expectNewId(changed, first, 'initial PIN replaced')));
  });

  test('S19 a password change gives the acting session a new id', async () => {
    const citizen = await activeCitizen();
    const acting = await signIn(citizen);
    const changed = await post('/api/v1/me/password', { currentPassword: citizen.password, newPassword: newPassword() }, acting);
    assert.equal(changed.statusCode, 204, changed.body);
    assert.ok(await alive(await expectNewId(changed, acting, 'password change')));
  });

  test('S19 a password change on its page gives the session a new id, and the page\'s forms work with it', async () => {
    const citizen = await activeCitizen();
    const browser = formClient(t);
    await browser.get('/signin');
    assert.equal((await browser.post('/signin', { method: 'password', codiceFiscale: citizen.codiceFiscale, password: citizen.password })).statusCode, 303);
    const before = `varco_session=${browser.cookie('varco_session')}`;
    await browser.get('/area/password');
    const password = newPassword();
    const changed = await browser.post('/area/password', { currentPassword: citizen.password, newPassword: password, confirmPassword: password });
    assert.equal(changed.statusCode, 200, changed.body.slice(0, 300));
    const after = await expectNewId(changed, before, 'password change on the page');
    assert.ok(await alive(after));
    const signedOut = await browser.post('/signout', {});
    assert.ok([302, 303].includes(signedOut.statusCode), `the sign-out form of the page works: ${signedOut.statusCode}`);
    assert.ok(!(await alive(after)), 'signed out');
  });

  test('S19 a PIN change on its page gives the session a new id', async () => {
    const citizen = await activeCitizen();
    const pin = await citizenWithActivePin(t, citizen);
    const browser = formClient(t);
    await browser.get('/signin?method=pin');
    assert.equal((await browser.post('/signin', { method: 'pin', codiceFiscale: citizen.codiceFiscale, pin })).statusCode, 303);
    const before = `varco_session=${browser.cookie('varco_session')}`;
    await browser.get('/area/pin/change');
    const proposal = await browser.post('/area/pin/change/propose', {});
    const changeId = /name="changeId" value="([^"]+)"/.exec(proposal.body)![1]!;
    const proposedPin = /varco-secret[^>]*>([^<]+)</.exec(proposal.body)![1]!;
    const code = /\b(\d{6})\b/.exec((await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'contact_verification_code').at(-1)!.text)![1]!;
    const changed = await browser.post('/area/pin/change/confirm', { changeId, needsCode: '1', oldPin: pin, newPin: proposedPin, verificationCode: code });
    assert.equal(changed.statusCode, 303, changed.body.slice(0, 300));
    assert.ok(await alive(await expectNewId(changed, before, 'PIN change on the page')));
  });

  test('S19 a PIN change gives the acting session a new id', async () => {
    const citizen = await activeCitizen();
    const pin = await citizenWithActivePin(t, citizen);
    const acting = sessionCookieOf(await signInWithPin(t, citizen.codiceFiscale, pin));
    assert.ok(await alive(await expectNewId(await changePin({ ...citizen, pin }, acting), acting, 'PIN change')));
  });
});
