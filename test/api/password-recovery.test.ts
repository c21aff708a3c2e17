// "Password dimenticata" through the API: both channels end to end, link and code lifetimes,
// single use under races (issue 4; S6–S9, S15, S22, S30, S31).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { activateCitizen, mailbox, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';

const cf = 'RSSMRA85T10A562S';
const email = 'anna@example.it';
const mobile = '+393331234567';
const strong = 'Tramonto-Viola!Sul-Po7';
const renewed = 'Girasole#Lago-Blu42';
const roomyLimits = { RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100', RATE_LIMIT_CODE_ENTRY_PER_IP_PER_HOUR: '1000' };

const prepare = (t: TestApp) => activateCitizen(t.app, { codiceFiscale: cf, email, mobile: '333 123 4567', password: strong });
const start = (t: TestApp, payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload });
const startByEmail = (t: TestApp) => start(t, { codiceFiscale: cf, channel: 'email', email });
const startBySms = (t: TestApp) => start(t, { codiceFiscale: cf, channel: 'sms', mobile });
const submit = (t: TestApp, flowId: string, code: string) =>
  t.app.inject({ method: 'POST', url: `/api/v1/recovery/password/${flowId}/code`, payload: { code } });
const complete = (t: TestApp, token: string, newPassword = renewed) =>
  t.app.inject({ method: 'POST', url: '/api/v1/recovery/password/complete', payload: { token, newPassword } });
const signIn = (t: TestApp, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } });

async function lastLinkToken(t: TestApp): Promise<string> {
  const links = (await mailbox(t.app, email)).filter((m) => m.kind === 'password_reset_link');
  const match = /^http:\/\/[^/\s]+\/recovery\/password\/([A-Za-z0-9_-]{22,})$/m.exec(links.at(-1)?.text ?? '');
  assert.ok(match, 'a reset link under PUBLIC_URL was emailed');
  return match[1]!;
}

async function lastSmsCode(t: TestApp): Promise<string> {
  const codes = (await mailbox(t.app, mobile)).filter((m) => m.kind === 'password_reset_code');
  const match = /\b(\d{6})\b/.exec(codes.at(-1)?.text ?? '');
  assert.ok(match, 'an SMS code was sent');
  return match[1]!;
}

const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

describe('recovery by email link', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(roomyLimits); await prepare(t); });
  after(() => t.close());

  test('the full journey while locked: link, new password, sign in; old sessions die, the lock is cleared, all is logged', async () => {
    const oldSession = sessionCookieOf(await signIn(t, strong));
    for (let i = 0; i < 5; i++) await signIn(t, `Sbagliata-${i}!A`);
    assert.equal((await signIn(t, strong)).statusCode, 423, 'locked before the reset');
    const started = await start(t, { codiceFiscale: ' rssmra85t10a562s ', channel: 'email', email: '  Anna@Example.IT ' });
    assert.equal(started.statusCode, 202);
    assert.equal(started.json().expiresAt, new Date(t.clock.now().getTime() + 30 * 60_000).toISOString());
    const token = await lastLinkToken(t);
    assert.equal((await complete(t, token, 'debole')).json().code, 'weak_password', 'a weak password does not spend the link');
    assert.equal((await complete(t, token)).statusCode, 204);

    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: oldSession } })).statusCode, 401);
    assert.equal((await signIn(t, strong)).statusCode, 401, 'the old password is gone');
    const fresh = await signIn(t, renewed);
    assert.equal(fresh.statusCode, 200, 'the lock was cleared');
    assert.deepEqual(fresh.json().requiredActions, []);
    const notices = (await mailbox(t.app, email)).filter((m) => m.kind === 'credential_changed');
    assert.equal(notices.length, 2, 'one for the first change, one for the reset');
    const activity = await t.app.inject({ method: 'GET', url: '/api/v1/me/activity', headers: { cookie: sessionCookieOf(fresh) } });
    const types = (activity.json().events as { type: string }[]).map((event) => event.type);
    assert.ok(types.includes('password_reset') && types.includes('password_recovery_started'), types.join());
  });

  test('a used link answers token_used; an unknown one token_invalid', async () => {
    await startByEmail(t);
    const token = await lastLinkToken(t);
    assert.equal((await complete(t, token, 'Nuvola@Rosa-Vento9')).statusCode, 204);
    const again = await complete(t, token, 'Nuvola@Rosa-Vento8');
    assert.deepEqual([again.statusCode, again.json().code], [410, 'token_used']);
    const unknown = await complete(t, 'x'.repeat(43));
    assert.deepEqual([unknown.statusCode, unknown.json().code], [410, 'token_invalid']);
  });

  test('a link is good for 30 minutes, then answers token_expired', async () => {
    await startByEmail(t);
    const token = await lastLinkToken(t);
    t.clock.advance(30 * 60 - 1);
    assert.equal((await complete(t, token, 'debole')).json().code, 'weak_password', 'still alive at 29:59');
    t.clock.advance(2);
    const late = await complete(t, token, 'Fiume!Lento-Sera3');
    assert.deepEqual([late.statusCode, late.json().code], [410, 'token_expired']);
  });

  test('a second request voids the first link (S9)', async () => {
    await startByEmail(t);
    const first = await lastLinkToken(t);
    await startByEmail(t);
    const second = await lastLinkToken(t);
    assert.notEqual(first, second);
    const voided = await complete(t, first, 'Fiume!Lento-Sera4');
    assert.deepEqual([voided.statusCode, voided.json().code], [410, 'token_invalid']);
    assert.equal((await complete(t, second, 'Fiume!Lento-Sera4')).statusCode, 204);
  });

  test('20 parallel completions with one token: exactly one succeeds (S6)', async () => {
    await startByEmail(t);
    const token = await lastLinkToken(t);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => complete(t, token, `Parallela!Corsa-${i}x`)));
    assert.equal(results.filter((r) => r.statusCode === 204).length, 1);
    assert.ok(results.every((r) => r.statusCode === 204 || r.json().code === 'token_used'));
    const winner = results.findIndex((r) => r.statusCode === 204);
    assert.equal((await signIn(t, `Parallela!Corsa-${winner}x`)).statusCode, 200, 'the winner’s password is the one stored');
  });
});

describe('recovery by SMS code', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp(roomyLimits); await prepare(t); });
  after(() => t.close());

  test('the full journey: code, token, new password, sign in; the link channel’s earlier link is void', async () => {
    await startByEmail(t);
    const earlierLink = await lastLinkToken(t);
    const started = await start(t, { codiceFiscale: cf, channel: 'sms', mobile: '333 1234567' });
    assert.equal(started.statusCode, 202);
    assert.equal(started.json().expiresAt, new Date(t.clock.now().getTime() + 10 * 60_000).toISOString());
    const verified = await submit(t, started.json().flowId, await lastSmsCode(t));
    assert.equal(verified.statusCode, 200);
    assert.equal(verified.headers['cache-control'], 'no-store');
    assert.equal((await complete(t, verified.json().token)).statusCode, 204);
    assert.equal((await signIn(t, renewed)).statusCode, 200);
    assert.equal((await complete(t, earlierLink, 'Fiume!Lento-Sera5')).statusCode, 410);
  });

  test('wrong codes count down; the 6th answer is flow_expired, even with the right code (S8)', async () => {
    const { flowId } = (await startBySms(t)).json();
    const code = await lastSmsCode(t);
    for (let left = 4; left >= 0; left--) {
      const response = await submit(t, flowId, otherThan(code));
      assert.equal(response.statusCode, 400);
      assert.deepEqual([response.json().code, response.json().attemptsLeft], ['invalid_code', left]);
    }
    const sixth = await submit(t, flowId, code);
    assert.deepEqual([sixth.statusCode, sixth.json().code], [410, 'flow_expired']);
  });

  test('a code is good for 10 minutes; a used code and its token cannot be used again', async () => {
    const { flowId } = (await startBySms(t)).json();
    const code = await lastSmsCode(t);
    t.clock.advance(10 * 60 + 1);
    const late = await submit(t, flowId, code);
    assert.deepEqual([late.statusCode, late.json().code], [410, 'flow_expired']);
    const fresh = (await startBySms(t)).json();
    const freshCode = await lastSmsCode(t);
    const verified = await submit(t, fresh.flowId, freshCode);
    assert.equal(verified.statusCode, 200);
    assert.equal((await submit(t, fresh.flowId, freshCode)).json().code, 'flow_expired');
    assert.equal((await complete(t, verified.json().token, 'Vento@Caldo-Mare6')).statusCode, 204);
    assert.equal((await complete(t, verified.json().token, 'Vento@Caldo-Mare7')).json().code, 'token_used');
  });

  test('the token a code gives lasts 10 minutes', async () => {
    const { flowId } = (await startBySms(t)).json();
    const { token } = (await submit(t, flowId, await lastSmsCode(t))).json();
    t.clock.advance(10 * 60 + 1);
    assert.equal((await complete(t, token, 'Vento@Caldo-Mare8')).json().code, 'token_expired');
  });

  test('a new request voids the earlier code and its verified token (S9)', async () => {
    const first = (await startBySms(t)).json();
    const firstCode = await lastSmsCode(t);
    const second = (await startBySms(t)).json();
    assert.equal((await submit(t, first.flowId, firstCode)).json().code, 'flow_expired');
    const { token } = (await submit(t, second.flowId, await lastSmsCode(t))).json();
    await startBySms(t);
    assert.equal((await complete(t, token, 'Vento@Caldo-Mare9')).json().code, 'token_invalid');
  });

  test('20 parallel submissions of the right code: exactly one token (S6)', async () => {
    const { flowId } = (await startBySms(t)).json();
    const code = await lastSmsCode(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => submit(t, flowId, code)));
    assert.equal(results.filter((r) => r.statusCode === 200).length, 1);
    assert.ok(results.every((r) => r.statusCode === 200 || r.json().code === 'flow_expired'));
  });

  test('an unknown flow answers flow_expired', async () => {
    const response = await submit(t, '6b1d3c9e-6a57-4a43-9a43-3f1f2f0e9a11', '123456');
    assert.deepEqual([response.statusCode, response.json().code], [410, 'flow_expired']);
  });

  test('code entry is rate-limited per address (S17)', async () => {
    const limited = await startTestApp({ RATE_LIMIT_CODE_ENTRY_PER_IP_PER_HOUR: '3' });
    try {
      const flowId = '6b1d3c9e-6a57-4a43-9a43-3f1f2f0e9a11';
      for (let i = 0; i < 3; i++) assert.equal((await submit(limited, flowId, '123456')).statusCode, 410);
      const refused = await submit(limited, flowId, '123456');
      assert.deepEqual([refused.statusCode, refused.json().code], [429, 'rate_limited']);
      assert.ok(Number(refused.headers['retry-after']) > 0);
    } finally {
      await limited.close();
    }
  });
});

describe('S9 a password change voids outstanding recovery links', () => {
  test('a link issued before a password change no longer works after it', async () => {
    const t = await startTestApp();
    try {
      await prepare(t);
      await start(t, { codiceFiscale: cf, channel: 'email', email });
      const token = await lastLinkToken(t);
      const session = sessionCookieOf(await signIn(t, strong));
      const changed = await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: session },
        payload: { currentPassword: strong, newPassword: renewed } });
      assert.equal(changed.statusCode, 204);
      assert.equal((await complete(t, token, 'Fiume!Lento-Sera5')).statusCode, 410);
    } finally {
      await t.close();
    }
  });
});
