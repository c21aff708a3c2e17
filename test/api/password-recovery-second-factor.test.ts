// RECOVERY_SECOND_FACTOR=sms: an email link alone no longer resets the password of an
// account with a verified mobile; the opened link asks for an SMS code (S7 10 minutes, S8
// five attempts kept across new codes, S9 a new code voids the previous one).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { activateCitizen, mailbox, startTestApp, type TestApp } from '../helpers/app.ts';

const cf = 'RSSMRA85T10A562S';
const email = 'anna@example.it';
const mobile = '+393331234567';
let passwordCount = 0;
const nextPassword = () => `Girasole#Lago-Blu${++passwordCount}x`;

describe('recovery with an SMS second factor', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ RECOVERY_SECOND_FACTOR: 'sms', RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100', RATE_LIMIT_CODE_ENTRY_PER_IP_PER_HOUR: '1000' });
    await activateCitizen(t.app, { codiceFiscale: cf, email, mobile, password: 'Tramonto-Viola!Sul-Po7' });
    await t.deps.db.query('UPDATE accounts SET mobile_verified = true WHERE codice_fiscale = $1', [cf]);
  });
  after(() => t.close());
  beforeEach(() => t.clock.advance(3600)); // fresh rate-limit windows for each test

  const api = (url: string, payload: object) => t.app.inject({ method: 'POST', url: `/api/v1/recovery/password${url}`, payload });
  const smsCodes = async () => (await mailbox(t.app, mobile)).filter((m) => m.kind === 'password_reset_code');
  async function openLink(): Promise<string> {
    await api('', { codiceFiscale: cf, channel: 'email', email });
    const text = (await mailbox(t.app, email)).filter((m) => m.kind === 'password_reset_link').at(-1)?.text ?? '';
    return /\/recovery\/password\/([A-Za-z0-9_-]+)/.exec(text)![1]!;
  }
  async function askCode(token: string): Promise<string> {
    const sent = await api('/second-factor', { token });
    assert.equal(sent.statusCode, 202, sent.body);
    return /\b(\d{6})\b/.exec((await smsCodes()).at(-1)!.text)![1]!;
  }
  const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

  test('the link alone is not enough; the SMS code is sent when asked, then link + code + password reset it', async () => {
    const before = (await smsCodes()).length;
    const token = await openLink();
    assert.equal((await smsCodes()).length, before, 'no SMS before the link is opened');
    const alone = await api('/complete', { token, newPassword: nextPassword() });
    assert.deepEqual([alone.statusCode, alone.json().code, alone.json().attemptsLeft], [400, 'invalid_code', 5]);
    const code = await askCode(token);
    const expiresAt = (await api('/second-factor', { token })).json().expiresAt;
    assert.equal(expiresAt, new Date(t.clock.now().getTime() + 10 * 60_000).toISOString());
    const latest = /\b(\d{6})\b/.exec((await smsCodes()).at(-1)!.text)![1]!;
    if (latest !== code) assert.equal((await api('/complete', { token, newPassword: nextPassword(), code })).json().code, 'invalid_code', 'S9');
    const password = nextPassword();
    assert.equal((await api('/complete', { token, newPassword: password, code: latest })).statusCode, 204);
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } });
    assert.equal(signIn.statusCode, 200);
    assert.equal((await api('/complete', { token, newPassword: nextPassword(), code: latest })).json().code, 'token_used');
  });

  test('the code lasts 10 minutes; a new one can be asked while the link lives, and attempts are kept (S7, S8)', async () => {
    const token = await openLink();
    const first = await askCode(token);
    const wrong = await api('/complete', { token, newPassword: nextPassword(), code: otherThan(first) });
    assert.equal(wrong.json().attemptsLeft, 4);
    t.clock.advance(10 * 60 + 1);
    const late = await api('/complete', { token, newPassword: nextPassword(), code: first });
    assert.deepEqual([late.json().code, late.json().codeExpired], ['invalid_code', true]);
    const second = await askCode(token);
    const wrongAgain = await api('/complete', { token, newPassword: nextPassword(), code: otherThan(second) });
    assert.equal(wrongAgain.json().attemptsLeft, 3, 'a new code does not reset the budget');
    assert.equal((await api('/complete', { token, newPassword: nextPassword(), code: second })).statusCode, 204);
  });

  test('five wrong codes kill the link', async () => {
    const token = await openLink();
    const code = await askCode(token);
    for (let left = 4; left >= 0; left--) {
      assert.equal((await api('/complete', { token, newPassword: nextPassword(), code: otherThan(code) })).json().attemptsLeft, left);
    }
    const dead = await api('/complete', { token, newPassword: nextPassword(), code });
    assert.deepEqual([dead.statusCode, dead.json().code], [410, 'token_invalid']);
    assert.equal((await api('/second-factor', { token })).statusCode, 410);
  });

  test('a weak password spends no code attempt', async () => {
    const token = await openLink();
    const code = await askCode(token);
    assert.equal((await api('/complete', { token, newPassword: 'debole', code: otherThan(code) })).json().code, 'weak_password');
    const wrong = await api('/complete', { token, newPassword: nextPassword(), code: otherThan(code) });
    assert.equal(wrong.json().attemptsLeft, 4);
  });

  test('the flow id of an email flow does not open the SMS-code path around the link', async () => {
    const { flowId } = (await api('', { codiceFiscale: cf, channel: 'email', email })).json();
    const text = (await mailbox(t.app, email)).filter((m) => m.kind === 'password_reset_link').at(-1)!.text;
    const code = await askCode(/\/recovery\/password\/([A-Za-z0-9_-]+)/.exec(text)![1]!);
    const bypass = await api(`/${flowId}/code`, { code });
    assert.deepEqual([bypass.statusCode, bypass.json().code], [410, 'flow_expired']);
  });

  test('new codes per link are limited', async () => {
    const token = await openLink();
    for (let i = 0; i < 3; i++) assert.equal((await api('/second-factor', { token })).statusCode, 202);
    const refused = await api('/second-factor', { token });
    assert.deepEqual([refused.statusCode, refused.json().code], [429, 'rate_limited']);
  });

  test('an account without a verified mobile resets with the link alone', async () => {
    await t.deps.db.query('UPDATE accounts SET mobile_verified = false WHERE codice_fiscale = $1', [cf]);
    try {
      const token = await openLink();
      assert.equal((await api('/second-factor', { token })).json().code, 'invalid_request');
      assert.equal((await api('/complete', { token, newPassword: nextPassword() })).statusCode, 204);
    } finally {
      await t.deps.db.query('UPDATE accounts SET mobile_verified = true WHERE codice_fiscale = $1', [cf]);
    }
  });
});
