// The table of every secret Varco hands out (issue 13), for the sweeps of
// one-time-secrets.test.ts: for each, how the API issues it (and reads it back from the
// development mailbox or the response, as the citizen would) and how the API uses it.
// Every issue() starts from a citizen of its own, so the cases never share state.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { adminToken, mailbox, sessionCookieOf, type TestApp } from '../helpers/app.ts';
import { pdf } from '../helpers/documents.ts';
import { multipart } from '../helpers/multipart.ts';
import {
  citizenWithActivePin, issueBySteps, issuedPin, registerPinCitizen, signInWithPin, temporaryPassword, type PinCitizen,
} from '../helpers/pin.ts';

type Response = LightMyRequestResponse;

export interface Issued {
  secret: string;
  /** One use of a secret (this one, another, a wrong one) in the flow it was issued for. */
  use(secret: string): Promise<Response>;
  /** A new secret of the same purpose for the same citizen (S9); for codes with a resend, the resend. */
  reissue?(): Promise<string>;
}

export interface SecretCase {
  name: string;
  /** S4: what the delivered secret looks like, and the entropy that shape carries at least. */
  format: RegExp;
  minBits: number;
  /** S4: which CSPRNG call makes it: bytes (tokens) or int (codes, readable secrets). */
  randomCall: 'bytes' | 'int';
  issue(t: TestApp): Promise<Issued>;
  /** Whether a use succeeded, as the citizen sees it (default: a 2xx answer). */
  succeeded?(t: TestApp, response: Response): boolean;
  /**
   * S6: the observable effect to count when every answer looks alike (PIN recovery answers
   * 202 whatever happened): the count before and after parallel uses differs by the winners.
   */
  effects?(t: TestApp, issued: Issued): Promise<number>;
  /** S7: the lifetime, when the secret has one. */
  lifetimeSeconds?: number;
  /** S8: wrong attempts are counted (at most 5, then the flow is dead). `resend`: a resend shares the budget. */
  attempts?: { resend: boolean };
  /** S9: why a new one does NOT void the previous (each stands for its own thing). */
  independent?: string;
  /** Why S6 does not apply. */
  reusable?: string;
}

const strongPasswords = (() => {
  let n = 0;
  return () => `Girasole#Lago-Blu${++n}x`;
})();

let nextIndex = 0;
/** A registered citizen of its own (email, mobile, PEC), holding the admin's temporary password. */
const freshCitizen = (t: TestApp) => registerPinCitizen(t, 1000 + nextIndex++);
/** A distinct client address per call, so per-IP limits (appointments, desk requests) never get in the way. */
const freshAddress = () => `198.51.100.${(nextIndex % 250) + 1}`;

const post = (t: TestApp, url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers, remoteAddress: freshAddress(), ...(payload ? { payload } : {}) });
const put = (t: TestApp, url: string, payload: object, headers: Record<string, string>) => t.app.inject({ method: 'PUT', url, headers, payload });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const expectStatus = (response: Response, status: number, what: string) => assert.equal(response.statusCode, status, `${what}: ${response.body}`);

async function lastIn(t: TestApp, to: string, kind: string, pattern: RegExp): Promise<string> {
  const text = (await mailbox(t.app, to)).filter((m) => m.kind === kind).at(-1)?.text ?? '';
  const found = pattern.exec(text)?.[1];
  assert.ok(found, `a ${kind} reached ${to}: ${text}`);
  return found;
}
const count = async (t: TestApp, to: string, kind: string) => (await mailbox(t.app, to)).filter((m) => m.kind === kind).length;

const code6 = /(?:^|\D)(\d{6})(?:\D|$)/;
const linkToken = (path: string) => new RegExp(`${path}/([A-Za-z0-9_-]{43})\\b`);

/** The citizen's first access done: the temporary password replaced by a password of their own. */
async function activeCitizen(t: TestApp): Promise<PinCitizen & { password: string }> {
  const citizen = await freshCitizen(t);
  const first = await post(t, '/api/v1/session', { codiceFiscale: citizen.codiceFiscale, password: temporaryPassword });
  const password = strongPasswords();
  expectStatus(await post(t, '/api/v1/me/password', { currentPassword: temporaryPassword, newPassword: password }, { cookie: sessionCookieOf(first) }),
    204, 'first password');
  return { ...citizen, password };
}

async function sessionOf(t: TestApp, citizen: { codiceFiscale: string; password: string }): Promise<string> {
  const signedIn = await post(t, '/api/v1/session', { codiceFiscale: citizen.codiceFiscale, password: citizen.password });
  expectStatus(signedIn, 200, 'sign-in');
  return sessionCookieOf(signedIn);
}

async function emailResetLink(t: TestApp, citizen: PinCitizen): Promise<string> {
  expectStatus(await post(t, '/api/v1/recovery/password', { codiceFiscale: citizen.codiceFiscale, channel: 'email', email: citizen.email }), 202, 'start');
  return lastIn(t, citizen.email, 'password_reset_link', linkToken('/recovery/password'));
}

/** A contact code (profile completion or contact change): send, then confirm. */
function contactCode(name: string, send: (t: TestApp, c: PinCitizen, cookie: string) => Promise<{ to: string; confirm: (code: string) => object; url: string }>): SecretCase {
  return {
    name, format: /^\d{6}$/, minBits: 19, randomCall: 'int', lifetimeSeconds: 10 * 60, attempts: { resend: true },
    async issue(t) {
      const citizen = await activeCitizen(t);
      const cookie = await sessionOf(t, citizen);
      const sendOne = async () => {
        const sent = await send(t, citizen, cookie);
        return { sent, code: await lastIn(t, sent.to, 'contact_verification_code', code6) };
      };
      const { sent, code } = await sendOne();
      return {
        secret: code,
        use: (secret) => t.app.inject({ method: 'POST', url: sent.url, headers: { cookie }, payload: sent.confirm(secret) }),
        reissue: async () => (await sendOne()).code,
      };
    },
  };
}

export function secretCases(): SecretCase[] {
  return [
    {
      name: 'email reset link', format: /^[A-Za-z0-9_-]{43}$/, minBits: 256, randomCall: 'bytes', lifetimeSeconds: 30 * 60,
      async issue(t) {
        const citizen = await freshCitizen(t);
        return {
          secret: await emailResetLink(t, citizen),
          use: (token) => post(t, '/api/v1/recovery/password/complete', { token, newPassword: strongPasswords() }),
          reissue: () => emailResetLink(t, citizen),
        };
      },
    },
    {
      name: 'SMS reset code', format: /^\d{6}$/, minBits: 19, randomCall: 'int', lifetimeSeconds: 10 * 60, attempts: { resend: false },
      async issue(t) {
        const citizen = await freshCitizen(t);
        const start = async () => {
          const started = await post(t, '/api/v1/recovery/password', { codiceFiscale: citizen.codiceFiscale, channel: 'sms', mobile: citizen.mobile });
          expectStatus(started, 202, 'start');
          return { flowId: started.json().flowId as string, code: await lastIn(t, citizen.mobile, 'password_reset_code', code6) };
        };
        const first = await start();
        // A code is entered in the flow that sent it; a wrong code, in the latest flow.
        const flowOf = new Map([[first.code, first.flowId]]);
        let latest = first.flowId;
        return {
          secret: first.code,
          use: (code) => post(t, `/api/v1/recovery/password/${flowOf.get(code) ?? latest}/code`, { code }),
          reissue: async () => {
            const next = await start();
            flowOf.set(next.code, next.flowId);
            latest = next.flowId;
            return next.code;
          },
        };
      },
    },
    {
      // RECOVERY_SECOND_FACTOR=sms and a verified mobile: the opened link asks for an SMS code.
      name: 'recovery second-factor SMS code', format: /^\d{6}$/, minBits: 19, randomCall: 'int', lifetimeSeconds: 10 * 60, attempts: { resend: true },
      async issue(t) {
        const citizen = await freshCitizen(t);
        await t.deps.db.query('UPDATE accounts SET mobile_verified = true WHERE codice_fiscale = $1', [citizen.codiceFiscale]);
        const token = await emailResetLink(t, citizen);
        const ask = async () => {
          expectStatus(await post(t, '/api/v1/recovery/password/second-factor', { token }), 202, 'second factor');
          return lastIn(t, citizen.mobile, 'password_reset_code', code6);
        };
        return {
          secret: await ask(),
          use: (code) => post(t, '/api/v1/recovery/password/complete', { token, code, newPassword: strongPasswords() }),
          reissue: ask,
        };
      },
    },
    {
      name: 'PIN recovery code', format: /^\d{8}$/, minBits: 26, randomCall: 'int', lifetimeSeconds: 24 * 3600, attempts: { resend: false },
      async issue(t) {
        const citizen = await freshCitizen(t);
        await citizenWithActivePin(t, citizen);
        const ask = async () => {
          expectStatus(await post(t, '/api/v1/recovery/pin', { codiceFiscale: citizen.codiceFiscale, mobile: citizen.mobile, email: citizen.email }), 202, 'start');
          return lastIn(t, citizen.email, 'pin_recovery_code', /\/recovery\/pin\/confirm\/(\d{8})\b/);
        };
        return {
          secret: await ask(),
          use: (recoveryCode) => post(t, '/api/v1/recovery/pin/confirm', { codiceFiscale: citizen.codiceFiscale, recoveryCode }),
          reissue: ask,
          mobile: citizen.mobile,
        } as Issued;
      },
      // Every confirmation answers 202 (S2): success is the new PIN's first half reaching the mobile.
      succeeded: () => true,
      effects: (t, issued) => count(t, (issued as Issued & { mobile: string }).mobile, 'pin_first_half'),
    },
    {
      name: 'PIN change verification code', format: /^\d{6}$/, minBits: 19, randomCall: 'int', lifetimeSeconds: 10 * 60, attempts: { resend: false },
      async issue(t) {
        const citizen = await freshCitizen(t);
        const pin = await citizenWithActivePin(t, citizen);
        const cookie = sessionCookieOf(await signInWithPin(t, citizen.codiceFiscale, pin));
        const propose = async () => {
          const proposal = await post(t, '/api/v1/me/pin/change', undefined, { cookie });
          expectStatus(proposal, 200, 'proposal');
          return { ...(proposal.json() as { changeId: string; proposedPin: string }),
            code: await lastIn(t, citizen.email, 'contact_verification_code', code6) };
        };
        const first = await propose();
        // A code confirms the proposal that sent it; a wrong code, the latest proposal.
        const proposalOf = new Map([[first.code, first]]);
        let latest = first;
        return {
          secret: first.code,
          use: (verificationCode) => {
            const { changeId, proposedPin } = proposalOf.get(verificationCode) ?? latest;
            return post(t, `/api/v1/me/pin/change/${changeId}`, { oldPin: pin, newPin: proposedPin, verificationCode }, { cookie });
          },
          reissue: async () => {
            latest = await propose();
            proposalOf.set(latest.code, latest);
            return latest.code;
          },
        };
      },
    },
    contactCode('email verification code', async (_t, citizen, cookie) => {
      expectStatus(await post(_t, '/api/v1/me/email/verification', undefined, { cookie }), 202, 'send');
      return { to: citizen.email, url: '/api/v1/me/email/verification/confirm', confirm: (code) => ({ code }) };
    }),
    contactCode('mobile verification code', async (t, citizen, cookie) => {
      expectStatus(await post(t, '/api/v1/me/mobile/verification', undefined, { cookie }), 202, 'send');
      return { to: citizen.mobile, url: '/api/v1/me/mobile/verification/confirm', confirm: (code) => ({ code }) };
    }),
    contactCode('email change code', async (t, citizen, cookie) => {
      const to = `nuovo.${citizen.email}`;
      expectStatus(await put(t, '/api/v1/me/contacts', { email: to }, { cookie }), 202, 'change');
      return { to, url: '/api/v1/me/contacts/confirm', confirm: (code) => ({ contact: 'email', code }) };
    }),
    contactCode('mobile change code', async (t, citizen, cookie) => {
      const to = citizen.mobile.replace('+39333', '+39347');
      expectStatus(await put(t, '/api/v1/me/contacts', { mobile: to }, { cookie }), 202, 'change');
      return { to, url: '/api/v1/me/contacts/confirm', confirm: (code) => ({ contact: 'mobile', code }) };
    }),
    contactCode('PEC change code', async (t, citizen, cookie) => {
      const to = `nuova.${citizen.pec}`;
      expectStatus(await put(t, '/api/v1/me/contacts', { pec: to }, { cookie }), 202, 'change');
      return { to, url: '/api/v1/me/contacts/confirm', confirm: (code) => ({ contact: 'pec', code }) };
    }),
    {
      name: 'desk confirmation link', format: /^[A-Za-z0-9_-]{43}$/, minBits: 256, randomCall: 'bytes', lifetimeSeconds: 48 * 3600,
      independent: 'each request for help has its own link: a second request does not withdraw the first',
      // The confirmation itself is one guarded UPDATE; the link then shows the request's status (API.md).
      reusable: 'after the confirmation the same link shows the request\'s status',
      async issue(t) {
        const citizen = await freshCitizen(t);
        const form = multipart({ codiceFiscale: citizen.codiceFiscale, email: citizen.email, category: 'password_reset', message: 'Ho perso la password.' },
          { name: 'document', filename: 'documento.pdf', type: 'application/pdf', bytes: pdf() });
        expectStatus(await t.app.inject({ method: 'POST', url: '/api/v1/assistance/requests', remoteAddress: freshAddress(), ...form }), 202, 'request');
        return {
          secret: await lastIn(t, citizen.email, 'assistance_confirm', linkToken('/assistance/confirm')),
          use: (token) => post(t, '/api/v1/assistance/confirm', { token }),
        };
      },
    },
    {
      name: 'appointment manage link', format: /^[A-Za-z0-9_-]{43}$/, minBits: 256, randomCall: 'bytes',
      independent: 'each booking has its own link',
      async issue(t) {
        const email = `prenota${nextIndex++}@example.it`;
        const office = await post(t, '/api/v1/admin/offices', { name: `Sede ${nextIndex}`, address: 'Via Roma 1', opensAt: '09:00', closesAt: '17:00', slotMinutes: 30 },
          bearer(adminToken));
        expectStatus(office, 201, 'office');
        const { id: officeId } = office.json() as { id: string };
        const slots = (await t.app.inject({ method: 'GET', url: `/api/v1/appointments/offices/${officeId}/slots?date=2027-03-01` })).json().slots as { start: string }[];
        expectStatus(await post(t, '/api/v1/appointments', { officeId, slotStart: slots[0]!.start, codiceFiscale: 'RSSMRA85T10A562S', email }), 201, 'booking');
        return {
          secret: await lastIn(t, email, 'appointment_confirmed', linkToken('/appointments/manage')),
          // The link is for seeing and cancelling: its one-time act is the cancellation.
          use: (token) => post(t, `/api/v1/appointments/${token}/cancel`),
        };
      },
    },
    {
      name: '"this wasn\'t me" link', format: /^[A-Za-z0-9_-]{43}$/, minBits: 256, randomCall: 'bytes', lifetimeSeconds: 7 * 24 * 3600,
      independent: 'each notice carries its own link, and the notice of a change must keep a working one',
      async issue(t) {
        const citizen = await activeCitizen(t);
        await sessionOf(t, citizen); // a sign-in from a browser never seen: a new-device notice
        const token = await lastIn(t, citizen.email, 'new_device_sign_in', linkToken('/wasnt-me'));
        const page = await t.app.inject({ method: 'GET', url: `/wasnt-me/${token}` });
        expectStatus(page, 200, 'landing page');
        const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
        const csrfCookie = page.cookies.find((c) => c.name === 'varco_csrf')!.value;
        return {
          secret: token,
          use: (secret) => t.app.inject({ method: 'POST', url: `/wasnt-me/${secret}`, payload: new URLSearchParams({ _csrf: csrf }).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `varco_csrf=${csrfCookie}` } }),
        };
      },
    },
    {
      name: 'temporary password', format: /^[A-HJ-NP-Za-km-np-z2-9]{12}$/, minBits: 69, randomCall: 'int', lifetimeSeconds: 72 * 3600,
      async issue(t) {
        const citizen = await freshCitizen(t);
        const operator = await operatorToken(t);
        const send = async () => {
          expectStatus(await post(t, `/api/v1/desk/accounts/${citizen.codiceFiscale}/temporary-password`, { identityVerified: true, note: 'al telefono' },
            bearer(operator)), 202, 'temporary password');
          return lastIn(t, citizen.email, 'temporary_password', /:\n(\S+)\n/);
        };
        return {
          secret: await send(),
          // Its one use is the first access: signing in with it and replacing it.
          async use(password) {
            const signedIn = await post(t, '/api/v1/session', { codiceFiscale: citizen.codiceFiscale, password });
            if (signedIn.statusCode !== 200) return signedIn;
            return post(t, '/api/v1/me/password', { currentPassword: password, newPassword: strongPasswords() }, { cookie: sessionCookieOf(signedIn) });
          },
          reissue: send,
        };
      },
    },
    {
      name: 'initial PIN', format: /^[A-HJ-NP-Za-km-np-z2-9]{16}$/, minBits: 80, randomCall: 'int',
      reusable: 'a PIN is a credential, not a one-time secret: its first use opens a session that must replace it (S23)',
      async issue(t) {
        const citizen = await freshCitizen(t);
        const issue = async () => {
          await issueBySteps(t, citizen.codiceFiscale);
          return issuedPin(t, citizen);
        };
        return { secret: await issue(), use: (pin) => signInWithPin(t, citizen.codiceFiscale, pin), reissue: issue };
      },
    },
    {
      name: 'administration API token', format: /^[A-Za-z0-9_-]{43}$/, minBits: 256, randomCall: 'bytes', independent: 'one token per administration',
      reusable: 'a bearer credential for every call of the administration',
      async issue(t) {
        const created = await post(t, '/api/v1/admin/administrations', { code: `ENTE${nextIndex++}`, name: 'Ente di prova' }, bearer(adminToken));
        expectStatus(created, 201, 'administration');
        return { secret: created.json().apiToken as string,
          use: (token) => t.app.inject({ method: 'GET', url: '/api/v1/enrolments/workers', headers: bearer(token) }) };
      },
    },
    {
      name: 'operator API token', format: /^[A-Za-z0-9_-]{43}$/, minBits: 256, randomCall: 'bytes', independent: 'one token per operator',
      reusable: 'a bearer credential for every call of the operator',
      async issue(t) {
        const token = await operatorToken(t);
        return { secret: token, use: (secret) => t.app.inject({ method: 'GET', url: '/api/v1/desk/requests', headers: bearer(secret) }) };
      },
    },
    {
      name: 'OIDC client secret', format: /^[A-Za-z0-9_-]{43}$/, minBits: 256, randomCall: 'bytes', independent: 'one secret per client',
      reusable: 'the client authenticates with it at every token request',
      async issue(t) {
        const created = await post(t, '/api/v1/admin/oidc/clients',
          { name: `Servizio ${nextIndex++}`, type: 'confidential', redirectUris: ['https://servizio.example.it/callback'] }, bearer(adminToken));
        expectStatus(created, 201, 'client');
        const { clientId, clientSecret } = created.json() as { clientId: string; clientSecret: string };
        // Used at the provider's token endpoint: a wrong secret is invalid_client, a right one gets past it (to the grant check).
        return { secret: clientSecret, use: (secret) => t.app.inject({ method: 'POST', url: '/oidc/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
          payload: 'grant_type=authorization_code&code=unknown&redirect_uri=https%3A%2F%2Fservizio.example.it%2Fcallback' }) };
      },
      succeeded: (_t, response) => !response.body.includes('invalid_client'),
    },
    {
      name: 'session id', format: /^[A-Za-z0-9_-]{43}$/, minBits: 256, randomCall: 'bytes', independent: 'a citizen may hold several sessions',
      reusable: 'a session is used by every request until it ends (S21)',
      async issue(t) {
        const citizen = await activeCitizen(t);
        const cookie = await sessionOf(t, citizen);
        return { secret: cookie.slice('varco_session='.length),
          use: (id) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `varco_session=${id}` } }) };
      },
    },
  ];
}

let operatorCount = 0;
async function operatorToken(t: TestApp): Promise<string> {
  const index = operatorCount++;
  const first15 = `OPR${'BCDFGHJKLM'[index % 10]}${'BCDFGHJKLM'[Math.floor(index / 10) % 10]}N80A01H501`;
  const { checkCharacter } = await import('../../src/domain/codice-fiscale.ts');
  const created = await post(t, '/api/v1/admin/operators', { codiceFiscale: first15 + checkCharacter(first15), firstName: 'Luigi', lastName: 'Verdi',
    email: `operatore${index}@example.it` }, bearer(adminToken));
  expectStatus(created, 201, 'operator');
  return created.json().apiToken as string;
}
