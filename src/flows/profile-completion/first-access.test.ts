// First access of an enrolled worker through the API (issue 12, seed 004): the desk's
// temporary password, the forced change, then email, security question and mobile — in that
// order, none skippable, the rest of /api/v1/me… closed until they are done.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mailbox, sessionCookieOf, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { enrolWorker, latestCode, temporaryPasswordFromDesk } from '../../../test/helpers/first-access.ts';
import { workerCodiceFiscale } from '../../../test/helpers/workers.ts';
import { securityAnswerMatches } from './profile-completion.steps.ts';

const worker = { codiceFiscale: workerCodiceFiscale(501), email: 'nicolo@example.it', mobile: '347 555 0101' };
const mobile = '+393475550101';
const newPassword = 'Girasole#Lago-Blu42';

describe('first access of an enrolled worker', () => {
  let t: TestApp;
  let cookie: string;
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const response = await t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
    if (response.cookies.some((c) => c.name === 'varco_session')) cookie = sessionCookieOf(response); // rotated when the flow finishes
    return response;
  };
  const refusedFor = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const response = await call(method, url, payload);
    assert.equal(response.statusCode, 403, `${method} ${url}: ${response.body}`);
    assert.equal(response.json().code, 'action_required');
    return response.json().requiredActions as string[];
  };

  before(async () => {
    t = await startTestApp();
    await enrolWorker(t.app, worker);
  });
  after(() => t.close());

  test('the notice leads to the desk; the desk path gives a temporary password; sign-in lists every action', async () => {
    const notice = (await mailbox(t.app, worker.email)).find((m) => m.kind === 'enrolment_notice');
    assert.match(notice?.text ?? '', /\/assistance/);
    const temporary = await temporaryPasswordFromDesk(t.app, worker);
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: worker.codiceFiscale, password: temporary } });
    assert.equal(signedIn.statusCode, 200, signedIn.body);
    assert.deepEqual(signedIn.json().requiredActions, ['change_password', 'verify_email', 'set_security_question', 'verify_mobile']);
    cookie = sessionCookieOf(signedIn);

    assert.deepEqual(await refusedFor('GET', '/api/v1/me/activity'), ['change_password', 'verify_email', 'set_security_question', 'verify_mobile']);
    await refusedFor('POST', '/api/v1/me/email/verification');
    await refusedFor('PUT', '/api/v1/me/security-question', { question: 'Il nome della mia prima maestra?', answer: 'Lucia' });
    const changed = await call('POST', '/api/v1/me/password', { currentPassword: temporary, newPassword });
    assert.equal(changed.statusCode, 204, changed.body);
  });

  test('the email comes first: later steps are refused, a wrong code too, the right one once', async () => {
    assert.deepEqual(await refusedFor('POST', '/api/v1/me/mobile/verification'), ['verify_email', 'set_security_question', 'verify_mobile']);
    await refusedFor('PUT', '/api/v1/me/security-question', { question: 'Il nome della mia prima maestra?', answer: 'Lucia' });
    await refusedFor('GET', '/api/v1/me/activity');
    assert.equal((await call('POST', '/api/v1/me/email/verification')).statusCode, 202);
    const code = await latestCode(t.app, worker.email);
    const wrong = await call('POST', '/api/v1/me/email/verification/confirm', { code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().code, 'invalid_code');
    assert.equal(wrong.json().attemptsLeft, 4);
    assert.equal((await call('POST', '/api/v1/me/email/verification/confirm', { code })).statusCode, 204);
    assert.equal((await call('POST', '/api/v1/me/email/verification/confirm', { code })).statusCode, 403, 'done: the step is no longer the current one');
  });

  test('then the security question, hashed and compared ignoring case, accents and spaces', async () => {
    await refusedFor('POST', '/api/v1/me/mobile/verification');
    const tooShort = await call('PUT', '/api/v1/me/security-question', { question: 'Il nome della mia prima maestra?', answer: ' a ' });
    assert.equal(tooShort.statusCode, 400);
    const set = await call('PUT', '/api/v1/me/security-question', { question: 'Il nome della mia prima maestra?', answer: 'Lucìa  Bianchi' });
    assert.equal(set.statusCode, 204, set.body);
    const stored = await t.deps.db.query<{ security_answer_hash: string; security_question: string }>(
      'SELECT security_answer_hash, security_question FROM accounts WHERE codice_fiscale = $1', [worker.codiceFiscale]);
    const account = stored.rows[0]!;
    assert.match(account.security_answer_hash, /^\$argon2id\$/);
    assert.ok(!account.security_answer_hash.includes('lucia'));
    assert.ok(await securityAnswerMatches(t.deps, account, 'LUCIA BIANCHI'));
    assert.ok(!(await securityAnswerMatches(t.deps, account, 'Lucia Bianca')));
  });

  test('finally the mobile by SMS; then the area and the rest of the API open', async () => {
    assert.equal((await call('POST', '/api/v1/me/mobile/verification')).statusCode, 202);
    const sms = (await mailbox(t.app, mobile)).at(-1);
    assert.equal(sms?.channel, 'sms');
    assert.equal((await call('POST', '/api/v1/me/mobile/verification/confirm', { code: await latestCode(t.app, mobile) })).statusCode, 204);
    const me = (await call('GET', '/api/v1/me')).json();
    assert.deepEqual([me.requiredActions, me.emailVerified, me.mobileVerified, me.mobile], [[], true, true, mobile]);
    assert.equal((await call('GET', '/api/v1/me/activity')).statusCode, 200);
    const area = await call('GET', '/area');
    assert.equal(area.statusCode, 200);
  });
});
