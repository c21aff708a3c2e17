// Recovery answers never tell what matched (S2, S3, S17, S18): byte-identical answers for
// existing and missing codici fiscali, matching and other contacts, on both channels; the
// same rate limits for all; flows of unmatched requests that behave like real ones.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { activateCitizen, mailbox, startTestApp, type TestApp } from '../helpers/app.ts';

const cf = 'RSSMRA85T10A562S';
const email = 'anna@example.it';
const mobile = '+393331234567';
const missingCf = 'MRTMTT91D08F205J';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const prepare = (t: TestApp) => activateCitizen(t.app, { codiceFiscale: cf, email, mobile, password: 'Tramonto-Viola!Sul-Po7' });
const start = (t: TestApp, payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload, headers: { 'user-agent': 'probe' } });

/** Everything a client can observe, with the random flow id (checked apart) masked. */
function observable(response: LightMyRequestResponse) {
  const { flowId } = response.json() as { flowId: string };
  assert.match(flowId, uuid);
  const headers = Object.entries(response.headers).filter(([name]) => name !== 'date').sort();
  return { status: response.statusCode, body: response.body.replace(flowId, '<flowId>'), headers, cookies: response.cookies };
}

describe('one answer for every input', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100', RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '1000' });
    await prepare(t);
  });
  after(() => t.close());

  for (const channel of ['email', 'sms'] as const) {
    test(`by ${channel}: existing or missing, matching contact or not, byte for byte the same`, async () => {
      const right = channel === 'email' ? { email } : { mobile };
      const wrong = channel === 'email' ? { email: 'someone.else@example.it' } : { mobile: '+393470000000' };
      const answers = [
        await start(t, { codiceFiscale: cf, channel, ...right }),
        await start(t, { codiceFiscale: cf, channel, ...wrong }),
        await start(t, { codiceFiscale: missingCf, channel, ...right }),
        await start(t, { codiceFiscale: missingCf, channel, ...wrong }),
      ];
      const [first, ...others] = answers.map(observable);
      assert.equal(first!.status, 202);
      for (const other of others) assert.deepEqual(other, first);
      assert.equal(new Set(answers.map((a) => a.json().flowId)).size, 4, 'every flow id is fresh');
      const to = channel === 'email' ? email : mobile;
      const kind = channel === 'email' ? 'password_reset_link' : 'password_reset_code';
      assert.equal((await mailbox(t.app, to)).filter((m) => m.kind === kind).length, 1, 'only the matching request sent anything');
      assert.equal((await mailbox(t.app, channel === 'email' ? 'someone.else@example.it' : '+393470000000')).length, 0);
    });
  }

  test('flows of unmatched requests take codes like real ones, then die', async () => {
    for (const codiceFiscale of [cf, missingCf]) {
      const { flowId } = (await start(t, { codiceFiscale, channel: 'sms', mobile: '+393470000000' })).json();
      for (let left = 4; left >= 0; left--) {
        const response = await t.app.inject({ method: 'POST', url: `/api/v1/recovery/password/${flowId}/code`, payload: { code: '123456' } });
        assert.deepEqual([response.statusCode, response.json().code, response.json().attemptsLeft], [400, 'invalid_code', left]);
      }
      const dead = await t.app.inject({ method: 'POST', url: `/api/v1/recovery/password/${flowId}/code`, payload: { code: '123456' } });
      assert.deepEqual([dead.statusCode, dead.json().code], [410, 'flow_expired']);
    }
  });

  test('an email flow, matched or not, takes no SMS code', async () => {
    for (const codiceFiscale of [cf, missingCf]) {
      const { flowId } = (await start(t, { codiceFiscale, channel: 'email', email })).json();
      const response = await t.app.inject({ method: 'POST', url: `/api/v1/recovery/password/${flowId}/code`, payload: { code: '123456' } });
      assert.deepEqual([response.statusCode, response.json().code], [410, 'flow_expired']);
    }
  });

  test('the start page redirects alike whatever matched', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/recovery/password' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const cookie = `varco_csrf=${page.cookies.find((c) => c.name === 'varco_csrf')!.value}`;
    const post = (fields: Record<string, string>) => t.app.inject({ method: 'POST', url: '/recovery/password',
      payload: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } });
    const answers = [
      await post({ codiceFiscale: cf, channel: 'email', email }),
      await post({ codiceFiscale: missingCf, channel: 'email', email }),
      await post({ codiceFiscale: cf, channel: 'email', email: 'someone.else@example.it' }),
    ];
    const masked = answers.map((a) => ({ status: a.statusCode, location: String(a.headers.location).replace(/flow=[0-9a-f-]{36}/, 'flow=*'),
      body: a.body.replace(/[0-9a-f-]{36}/g, '*'), cookies: a.cookies }));
    assert.equal(masked[0]!.status, 303);
    assert.equal(masked[0]!.location, '/recovery/password/sent?channel=email&flow=*');
    for (const other of masked.slice(1)) assert.deepEqual(other, masked[0]);
  });
});

describe('rate limits answer alike (S3, S17)', () => {
  test('per codice fiscale: 429 with Retry-After, the same for existing and missing accounts', async () => {
    const t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '2', RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '1000' });
    try {
      await prepare(t);
      for (const codiceFiscale of [cf, missingCf]) {
        for (let i = 0; i < 2; i++) assert.equal((await start(t, { codiceFiscale, channel: 'sms', mobile })).statusCode, 202);
      }
      const limitedExisting = await start(t, { codiceFiscale: cf, channel: 'sms', mobile });
      const limitedMissing = await start(t, { codiceFiscale: missingCf, channel: 'sms', mobile });
      for (const response of [limitedExisting, limitedMissing]) {
        assert.deepEqual([response.statusCode, response.json().code], [429, 'rate_limited']);
        assert.ok(Number(response.headers['retry-after']) > 0);
      }
      const without = (r: LightMyRequestResponse) => Object.entries(r.headers).filter(([name]) => name !== 'date');
      assert.equal(limitedExisting.body, limitedMissing.body);
      assert.deepEqual(without(limitedExisting), without(limitedMissing));
      assert.equal((await mailbox(t.app, mobile)).filter((m) => m.kind === 'password_reset_code').length, 2, 'refused requests send nothing');
      t.clock.advance(3600);
      assert.equal((await start(t, { codiceFiscale: cf, channel: 'sms', mobile })).statusCode, 202, 'the window passes');
    } finally {
      await t.close();
    }
  });

  test('per address: the 21st start in an hour is refused, whichever codice fiscale', async () => {
    const t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100' });
    try {
      for (let i = 0; i < 20; i++) {
        const response = await start(t, { codiceFiscale: i % 2 ? cf : missingCf, channel: 'email', email });
        assert.equal(response.statusCode, 202, `request ${i + 1}`);
      }
      const refused = await start(t, { codiceFiscale: cf, channel: 'email', email });
      assert.deepEqual([refused.statusCode, refused.json().code], [429, 'rate_limited']);
      assert.ok(Number(refused.headers['retry-after']) > 0);
    } finally {
      await t.close();
    }
  });
});

describe('captcha (S18)', () => {
  test('with CAPTCHA=on a start needs a solved challenge, good once', async () => {
    const t = await startTestApp({ CAPTCHA: 'on' });
    try {
      await prepare(t);
      const missing = await start(t, { codiceFiscale: cf, channel: 'email', email });
      assert.deepEqual([missing.statusCode, missing.json().code], [400, 'invalid_captcha']);
      const solve = async () => {
        const challenge = (await t.app.inject({ method: 'GET', url: '/api/v1/captcha?lang=en' })).json();
        const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
        const [, a, b] = /What is (\w+) plus (\w+)\?/.exec(challenge.question)!;
        return { challenge: challenge.challenge as string, answer: words.indexOf(a!) + words.indexOf(b!) };
      };
      const wrong = await solve();
      const refused = await start(t, { codiceFiscale: cf, channel: 'email', email, captcha: `${wrong.challenge}:${wrong.answer + 1}` });
      assert.equal(refused.json().code, 'invalid_captcha');
      const right = await solve();
      const captcha = `${right.challenge}:${right.answer}`;
      assert.equal((await start(t, { codiceFiscale: cf, channel: 'email', email, captcha })).statusCode, 202);
      assert.equal((await start(t, { codiceFiscale: missingCf, channel: 'email', email, captcha })).json().code, 'invalid_captcha', 'used once');
      const page = await t.app.inject({ method: 'GET', url: '/recovery/password?lang=en' });
      assert.match(page.body, /name="captchaChallenge"/);
      assert.match(page.body, /What is \w+ plus \w+\?/);
    } finally {
      await t.close();
    }
  });
});
