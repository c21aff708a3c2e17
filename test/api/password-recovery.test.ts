// "Password dimenticata" through the API (issue 4; S2, S6–S9, S15, S22).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mailbox, registerCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';

const cf = 'RSSMRA85T10A562S';
const email = 'anna@example.it';
const mobile = '+393331234567';
const strong = 'Tramonto-Viola!Sul-Po7';
const renewed = 'Girasole#Lago-Blu42';

async function prepare(t: TestApp): Promise<void> {
  await registerCitizen(t.app, { codiceFiscale: cf, email, mobile: '333 123 4567', temporaryPassword: 'Provvisoria-2026' });
  const first = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password: 'Provvisoria-2026' } });
  await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: sessionCookieOf(first) },
    payload: { currentPassword: 'Provvisoria-2026', newPassword: strong } });
}

const start = (t: TestApp, payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload });
const complete = (t: TestApp, token: string, newPassword = renewed) =>
  t.app.inject({ method: 'POST', url: '/api/v1/recovery/password/complete', payload: { token, newPassword } });
const signIn = (t: TestApp, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } });

async function lastLinkToken(t: TestApp): Promise<string> {
  const links = (await mailbox(t.app, email)).filter((m) => m.kind === 'password_reset_link');
  const match = /\/recovery\/password\/([A-Za-z0-9_-]+)/.exec(links.at(-1)?.text ?? '');
  assert.ok(match, 'a reset link was emailed');
  return match[1]!;
}

async function lastSmsCode(t: TestApp): Promise<string> {
  const codes = (await mailbox(t.app, mobile)).filter((m) => m.kind === 'password_reset_code');
  const match = /\b(\d{6})\b/.exec(codes.at(-1)?.text ?? '');
  assert.ok(match, 'an SMS code was sent');
  return match[1]!;
}

describe('recovery by email link', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '50' }); await prepare(t); });
  after(() => t.close());

  test('the full journey: request, link, new password, sign in; old sessions die, the lock is cleared', async () => {
    const oldSession = sessionCookieOf(await signIn(t, strong));
    for (let i = 0; i < 5; i++) await signIn(t, `Sbagliata-${i}!A`);
    assert.equal((await signIn(t, strong)).statusCode, 423, 'locked before the reset');
    const started = await start(t, { codiceFiscale: cf, channel: 'email', email: 'Anna@Example.IT' });
    assert.equal(started.statusCode, 202);
    assert.ok(started.json().flowId && started.json().expiresAt);
    const token = await lastLinkToken(t);
    assert.equal((await complete(t, token, 'debole')).json().code, 'weak_password', 'a weak password does not spend the link');
    const done = await complete(t, token);
    assert.equal(done.statusCode, 204);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: oldSession } })).statusCode, 401);
    assert.equal((await signIn(t, strong)).statusCode, 401);
    assert.equal((await signIn(t, renewed)).statusCode, 200, 'the lock was cleared');
    const notices = (await mailbox(t.app, email)).filter((m) => m.kind === 'credential_changed');
    assert.equal(notices.length, 2, 'one for the first change, one for the reset');
  });

  test('a used link answers token_used; an unknown one token_invalid', async () => {
    await start(t, { codiceFiscale: cf, channel: 'email', email });
    const token = await lastLinkToken(t);
    assert.equal((await complete(t, token, 'Nuvola@Rosa-Vento9')).statusCode, 204);
    const again = await complete(t, token, 'Nuvola@Rosa-Vento8');
    assert.equal(again.statusCode, 410);
    assert.equal(again.json().code, 'token_used');
    assert.equal((await complete(t, 'x'.repeat(43))).json().code, 'token_invalid');
  });

  test('a link older than 30 minutes answers token_expired', async () => {
    await start(t, { codiceFiscale: cf, channel: 'email', email });
    const token = await lastLinkToken(t);
    t.clock.advance(30 * 60 + 1);
    const late = await complete(t, token, 'Fiume!Lento-Sera3');
    assert.equal(late.statusCode, 410);
    assert.equal(late.json().code, 'token_expired');
  });

  test('a second request voids the first link', async () => {
    await start(t, { codiceFiscale: cf, channel: 'email', email });
    const first = await lastLinkToken(t);
    await start(t, { codiceFiscale: cf, channel: 'email', email });
    const second = await lastLinkToken(t);
    assert.notEqual(first, second);
    assert.equal((await complete(t, first, 'Fiume!Lento-Sera4')).statusCode, 410);
    assert.equal((await complete(t, second, 'Fiume!Lento-Sera4')).statusCode, 204);
  });

  test('20 parallel completions with one token: exactly one succeeds (S6)', async () => {
    await start(t, { codiceFiscale: cf, channel: 'email', email });
    const token = await lastLinkToken(t);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => complete(t, token, `Parallela!Corsa-${i}x`)));
    assert.equal(results.filter((r) => r.statusCode === 204).length, 1);
    assert.ok(results.every((r) => r.statusCode === 204 || r.json().code === 'token_used'));
  });
});

describe('recovery by SMS code', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '50' }); await prepare(t); });
  after(() => t.close());
  const submit = (flowId: string, code: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/recovery/password/${flowId}/code`, payload: { code } });

  test('the full journey: code, token, new password, sign in', async () => {
    const started = await start(t, { codiceFiscale: cf, channel: 'sms', mobile: '333 1234567' });
    assert.equal(started.statusCode, 202);
    const verified = await submit(started.json().flowId, await lastSmsCode(t));
    assert.equal(verified.statusCode, 200);
    assert.equal((await complete(t, verified.json().token)).statusCode, 204);
    assert.equal((await signIn(t, renewed)).statusCode, 200);
  });

  test('wrong codes count down; the 6th answer is flow_expired, even with the right code', async () => {
    const { flowId } = (await start(t, { codiceFiscale: cf, channel: 'sms', mobile })).json();
    const code = await lastSmsCode(t);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 0; left--) {
      const response = await submit(flowId, wrong);
      assert.equal(response.statusCode, 400);
      assert.deepEqual([response.json().code, response.json().attemptsLeft], ['invalid_code', left]);
    }
    const sixth = await submit(flowId, code);
    assert.equal(sixth.statusCode, 410);
    assert.equal(sixth.json().code, 'flow_expired');
  });

  test('a code older than 10 minutes is refused; a used code cannot be used again', async () => {
    const { flowId } = (await start(t, { codiceFiscale: cf, channel: 'sms', mobile })).json();
    const code = await lastSmsCode(t);
    t.clock.advance(10 * 60 + 1);
    assert.equal((await submit(flowId, code)).json().code, 'flow_expired');
    const fresh = (await start(t, { codiceFiscale: cf, channel: 'sms', mobile })).json();
    const freshCode = await lastSmsCode(t);
    assert.equal((await submit(fresh.flowId, freshCode)).statusCode, 200);
    assert.equal((await submit(fresh.flowId, freshCode)).json().code, 'flow_expired');
  });
});

describe('recovery answers never tell what matched (S2, S3)', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '2', RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '1000' }); await prepare(t); });
  after(() => t.close());

  const shape = (response: Awaited<ReturnType<typeof start>>) => ({
    status: response.statusCode,
    keys: Object.keys(response.json()).sort(),
    expiresAt: response.json().expiresAt,
    headers: Object.keys(response.headers).filter((h) => h !== 'date').sort(),
    cookies: response.headers['set-cookie'],
  });

  test('existing or not, matching contact or not: the same answer', async () => {
    const answers = [
      await start(t, { codiceFiscale: cf, channel: 'email', email }),
      await start(t, { codiceFiscale: cf, channel: 'email', email: 'someone.else@example.it' }),
      await start(t, { codiceFiscale: 'MRTMTT91D08F205J', channel: 'email', email }),
    ];
    const [first, ...others] = answers.map(shape);
    for (const other of others) assert.deepEqual(other, first);
    assert.equal((await mailbox(t.app, 'someone.else@example.it')).length, 0);
  });

  test('the per-account limit answers 429 alike for existing and missing accounts', async () => {
    const missing = 'FRRLRA75E48L219T';
    for (let i = 0; i < 2; i++) await start(t, { codiceFiscale: missing, channel: 'sms', mobile });
    const limitedMissing = await start(t, { codiceFiscale: missing, channel: 'sms', mobile });
    const limitedExisting = await start(t, { codiceFiscale: cf, channel: 'sms', mobile });
    for (const response of [limitedMissing, limitedExisting]) {
      assert.equal(response.statusCode, 429);
      assert.equal(response.json().code, 'rate_limited');
      assert.ok(Number(response.headers['retry-after']) > 0);
    }
    assert.equal(limitedMissing.body, limitedExisting.body);
  });

  test('unknown flows and codes for unmatched requests behave like real ones', async () => {
    const { flowId } = (await start(t, { codiceFiscale: 'BNCGLI90C55H502B', channel: 'sms', mobile: '+393470000000' })).json();
    const response = await t.app.inject({ method: 'POST', url: `/api/v1/recovery/password/${flowId}/code`, payload: { code: '123456' } });
    assert.deepEqual([response.statusCode, response.json().attemptsLeft], [400, 4]);
  });
});

describe('captcha and second factor', () => {
  test('with CAPTCHA=on a start needs a solved challenge, used once', async () => {
    const t = await startTestApp({ CAPTCHA: 'on' });
    try {
      await prepare(t);
      assert.equal((await start(t, { codiceFiscale: cf, channel: 'email', email })).json().code, 'invalid_captcha');
      const challenge = (await t.app.inject({ method: 'GET', url: '/api/v1/captcha?lang=en' })).json();
      const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
      const [, a, b] = /What is (\w+) plus (\w+)\?/.exec(challenge.question)!;
      const captcha = `${challenge.challenge}:${words.indexOf(a!) + words.indexOf(b!)}`;
      assert.equal((await start(t, { codiceFiscale: cf, channel: 'email', email, captcha })).statusCode, 202);
      assert.equal((await start(t, { codiceFiscale: cf, channel: 'email', email, captcha })).json().code, 'invalid_captcha');
    } finally {
      await t.close();
    }
  });

  test('with RECOVERY_SECOND_FACTOR=sms an email link also needs the SMS code', async () => {
    const t = await startTestApp({ RECOVERY_SECOND_FACTOR: 'sms' });
    try {
      await prepare(t);
      await t.deps.db.query('UPDATE accounts SET mobile_verified = true');
      await start(t, { codiceFiscale: cf, channel: 'email', email });
      const token = await lastLinkToken(t);
      const code = await lastSmsCode(t);
      const without = await complete(t, token);
      assert.equal(without.json().code, 'invalid_code');
      const withCode = await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password/complete', payload: { token, newPassword: renewed, code } });
      assert.equal(withCode.statusCode, 204);
    } finally {
      await t.close();
    }
  });
});
