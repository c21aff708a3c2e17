// The security question as an extra factor of recovery (issue 12): asked beside the link or
// the code when the account has one, never instead of them; compared ignoring case, accents
// and spaces; wrong answers count toward the lockout, and recovery still works while locked.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { normaliseSecurityAnswer } from '../../domain/security-answer.ts';
import { activateCitizen, mailbox, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenWithActivePin, issuedPin, registerPinCitizen, signInWithPin } from '../../../test/helpers/pin.ts';

const citizen = { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', mobile: '3331234567', password: 'Tramonto-Viola!Sul-Po7' };
const question = 'Come si chiamava la mia prima maestra?';

async function setQuestion(t: TestApp, codiceFiscale: string, answer: string) {
  await t.deps.db.query('UPDATE accounts SET security_question = $2, security_answer_hash = $3 WHERE codice_fiscale = $1',
    [codiceFiscale, question, await t.deps.hasher.hash(normaliseSecurityAnswer(answer))]);
}

describe('security question in password recovery', () => {
  let t: TestApp;
  let token: string;
  const complete = (payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/recovery/password/complete', payload: { token, ...payload } });
  const signIn = (password: string) => t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: citizen.codiceFiscale, password } });

  before(async () => {
    t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100' });
    await activateCitizen(t.app, citizen);
    await setQuestion(t, citizen.codiceFiscale, 'Lucia Bianchi');
    const started = await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password',
      payload: { codiceFiscale: citizen.codiceFiscale, channel: 'email', email: citizen.email } });
    assert.equal(started.statusCode, 202);
    const link = (await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'password_reset_link').at(-1);
    token = /\/recovery\/password\/([A-Za-z0-9_-]+)/.exec(link?.text ?? '')![1]!;
  });
  after(() => t.close());

  test('the link alone is not enough: the answer is asked, naming the question', async () => {
    const response = await complete({ newPassword: 'Girasole#Lago-Blu42' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'invalid_request');
    assert.equal(response.json().securityQuestion, question);
    assert.deepEqual(response.json().errors.map((e: { field: string }) => e.field), ['securityAnswer']);
    assert.equal((await signIn(citizen.password)).statusCode, 200, 'nothing changed');
  });

  test('the answer alone is not enough either: no link, no recovery', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password/complete',
      payload: { token: 'A'.repeat(43), newPassword: 'Girasole#Lago-Blu42', securityAnswer: 'Lucia Bianchi' } });
    assert.equal(response.statusCode, 410);
  });

  test('wrong answers count toward the lockout; while locked, the right answer still recovers and clears the lock', async () => {
    for (let i = 0; i < t.deps.config.lockoutThreshold; i++) {
      const wrong = await complete({ newPassword: 'Girasole#Lago-Blu42', securityAnswer: 'Lucia Rossi' });
      assert.ok([401, 423].includes(wrong.statusCode), String(wrong.statusCode));
    }
    assert.equal((await signIn(citizen.password)).statusCode, 423, 'the wrong answers locked the account');
    assert.ok((await mailbox(t.app, citizen.email)).some((m) => m.kind === 'account_locked'));
    const right = await complete({ newPassword: 'Girasole#Lago-Blu42', securityAnswer: '  lucia BIÀNCHI ' });
    assert.equal(right.statusCode, 204, right.body);
    assert.equal((await signIn('Girasole#Lago-Blu42')).statusCode, 200, 'recovered, lock cleared');
  });

  test('the recovery page shows the question and asks for the answer', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload: { codiceFiscale: citizen.codiceFiscale, channel: 'email', email: citizen.email } });
    const fresh = /\/recovery\/password\/([A-Za-z0-9_-]+)/.exec((await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'password_reset_link').at(-1)!.text)![1]!;
    const page = await t.app.inject({ method: 'GET', url: `/recovery/password/${fresh}` });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(question.replace('?', '')), 'the question is shown');
    assert.match(page.body, /name="securityAnswer"/);
  });
});

describe('security question in PIN recovery', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100', RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '100' });
  });
  after(() => t.close());

  test('the PIN recovery page offers the answer field, optional (the page cannot know whose account it is)', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/recovery/pin/confirm' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="securityAnswer"/);
    assert.match(page.body, /Solo se hai impostato una domanda segreta/);
  });

  test('the code alone issues no PIN when the account has a question; code and answer do', async () => {
    const pinCitizen = await registerPinCitizen(t, 61);
    await citizenWithActivePin(t, pinCitizen);
    await setQuestion(t, pinCitizen.codiceFiscale, 'Lucia Bianchi');
    const codeOf = async () => /\b(\d{8})\b/.exec((await mailbox(t.app, pinCitizen.email)).filter((m) => m.kind === 'pin_recovery_code').at(-1)!.text)![1]!;
    const halves = async () => (await mailbox(t.app, pinCitizen.email)).filter((m) => m.kind === 'pin_second_half').length;
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/recovery/pin',
      payload: { codiceFiscale: pinCitizen.codiceFiscale, email: pinCitizen.email, mobile: pinCitizen.mobile } })).statusCode, 202);
    const code = await codeOf();
    const before = await halves();
    const confirm = (payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/recovery/pin/confirm',
      payload: { codiceFiscale: pinCitizen.codiceFiscale, recoveryCode: code, ...payload } });
    assert.equal((await confirm({})).statusCode, 202, 'the same answer whatever happened');
    assert.equal((await confirm({ securityAnswer: 'Lucia Rossi' })).statusCode, 202);
    assert.equal(await halves(), before, 'no new PIN without the right answer');
    const guard = await t.deps.db.query<{ failures: number }>(`SELECT failures FROM sign_in_guards WHERE subject LIKE '%' || $1`, [pinCitizen.codiceFiscale]);
    assert.equal(guard.rows[0]?.failures, 2, 'a right code without the right answer is a failure toward the lockout');
    assert.equal((await confirm({ securityAnswer: 'lucia bianchi' })).statusCode, 202);
    assert.equal(await halves(), before + 1, 'code and answer: a new PIN in two halves');
    const pin = await issuedPin(t, pinCitizen);
    assert.equal((await signInWithPin(t, pinCitizen.codiceFiscale, pin)).statusCode, 200);
  });
});
