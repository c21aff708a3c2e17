// The pages of "Password dimenticata" as a browser without JavaScript meets them (forms,
// CSRF, post/redirect/get), the landing page's handling of the token (S25, S26), and the
// logs of a whole recovery holding none of its secrets (S32).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { activateCitizen, mailbox, startTestApp, type TestApp } from '../helpers/app.ts';
import { formClient } from '../helpers/form-client.ts';

const cf = 'RSSMRA85T10A562S';
const email = 'anna@example.it';
const mobile = '+393331234567';

const hidden = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(body)?.[1];
const heading = (body: string) => /<h1[^>]*>([^<]+)<\/h1>/.exec(body)?.[1]?.trim();

async function linkToken(t: TestApp): Promise<string> {
  const text = (await mailbox(t.app, email)).filter((m) => m.kind === 'password_reset_link').at(-1)?.text ?? '';
  return /\/recovery\/password\/([A-Za-z0-9_-]+)/.exec(text)![1]!;
}

describe('recovery pages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100' });
    await activateCitizen(t.app, { codiceFiscale: cf, email, mobile, password: 'Tramonto-Viola!Sul-Po7' });
  });
  after(() => t.close());

  test('the start page in three languages: channel radios, labelled fields, help, no script', async () => {
    for (const [lang, title] of [['it', 'Recupera la password'], ['en', 'Recover your password'], ['ro', 'Recuperați parola']]) {
      const page = await t.app.inject({ method: 'GET', url: `/recovery/password?lang=${lang}` });
      assert.equal(page.statusCode, 200);
      assert.equal(heading(page.body), title);
      assert.match(page.body, /type="radio" name="channel" id="channel-email" value="email"\s+checked/);
      assert.match(page.body, /<label for="field-email"/);
      assert.match(page.body, /<label for="field-mobile"/);
      assert.match(page.body, /href="\/assistance"/);
      assert.doesNotMatch(page.body, /<script/);
    }
  });

  test('by email: start, same "check" page, landing page that does not spend the link, new password, done', async () => {
    const browser = formClient(t);
    await browser.get('/recovery/password');
    const started = await browser.post('/recovery/password', { codiceFiscale: cf, channel: 'email', email, mobile: '' });
    assert.equal(started.statusCode, 303);
    const sent = await browser.get(String(started.headers.location));
    assert.equal(heading(sent.body), 'Controlla i tuoi messaggi');
    const token = await linkToken(t);

    const landing = await browser.get(`/recovery/password/${token}`);
    assert.equal(landing.statusCode, 200);
    assert.equal(landing.headers['referrer-policy'], 'no-referrer');
    assert.equal(landing.headers['cache-control'], 'no-store');
    assert.equal(hidden(landing.body, 'token'), token);
    assert.equal((await browser.get(`/recovery/password/${token}`)).statusCode, 200, 'opening the link twice spends nothing (S25)');

    const mismatch = await browser.post('/recovery/password/complete', { token, newPassword: 'Girasole#Lago-Blu42', confirmPassword: 'altro' });
    assert.equal(mismatch.statusCode, 400);
    const weak = await browser.post('/recovery/password/complete', { token, newPassword: 'debole', confirmPassword: 'debole' });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /aria-describedby="field-newPassword-hint field-newPassword-error"/);
    const done = await browser.post('/recovery/password/complete', { token, newPassword: 'Girasole#Lago-Blu42', confirmPassword: 'Girasole#Lago-Blu42' });
    assert.deepEqual([done.statusCode, done.headers.location], [303, '/recovery/password/done']);
    const donePage = await browser.get('/recovery/password/done');
    assert.equal(heading(donePage.body), 'Password aggiornata');
    assert.match(donePage.body, /href="\/signin"/);

    const reused = await browser.get(`/recovery/password/${token}`);
    assert.equal(reused.statusCode, 410);
    assert.match(reused.body, /Il collegamento è già stato usato/);
    assert.match(reused.body, /href="\/recovery\/password"/);
  });

  test('by SMS: the code page counts attempts, the right code shows the form with the token only in the body', async () => {
    const browser = formClient(t);
    await browser.get('/recovery/password');
    const started = await browser.post('/recovery/password', { codiceFiscale: cf, channel: 'sms', email: '', mobile: '333 123 4567' });
    const sent = await browser.get(String(started.headers.location));
    const flowId = hidden(sent.body, 'flowId')!;
    assert.match(sent.body, /name="code"/);
    const code = /\b(\d{6})\b/.exec((await mailbox(t.app, mobile)).at(-1)!.text)![1]!;
    const wrong = await browser.post('/recovery/password/code', { flowId, code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /restano 4 tentativi/);
    const right = await browser.post('/recovery/password/code', { flowId, code });
    assert.equal(right.statusCode, 200);
    assert.equal(right.headers.location, undefined);
    const token = hidden(right.body, 'token')!;
    assert.ok(token.length >= 22);
    const done = await browser.post('/recovery/password/complete', { token, newPassword: 'Nuvola@Rosa-Vento9', confirmPassword: 'Nuvola@Rosa-Vento9' });
    assert.equal(done.statusCode, 303);
  });

  test('expired and unknown links get a plain page offering to start again', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload: { codiceFiscale: cf, channel: 'email', email } });
    const token = await linkToken(t);
    t.clock.advance(30 * 60 + 1);
    for (const [url, text] of [[`/recovery/password/${token}`, 'Il collegamento è scaduto'], ['/recovery/password/sconosciuto', 'Il collegamento non è valido']]) {
      const page = await t.app.inject({ method: 'GET', url: url! });
      assert.equal(page.statusCode, 410);
      assert.equal(heading(page.body), 'Collegamento non utilizzabile');
      assert.match(page.body, new RegExp(text!));
      assert.match(page.body, /Ricomincia il recupero/);
    }
  });

  test('a form without its CSRF token is refused (S24)', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/recovery/password', payload: `codiceFiscale=${cf}&channel=email&email=${email}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(response.statusCode, 403);
  });
});

describe('recovery pages with the SMS second factor', () => {
  test('the opened link asks for the code by a button, then takes code and password together', async () => {
    const t = await startTestApp({ RECOVERY_SECOND_FACTOR: 'sms' });
    try {
      await activateCitizen(t.app, { codiceFiscale: cf, email, mobile, password: 'Tramonto-Viola!Sul-Po7' });
      await t.deps.db.query('UPDATE accounts SET mobile_verified = true');
      await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload: { codiceFiscale: cf, channel: 'email', email } });
      const browser = formClient(t);
      const token = await linkToken(t);
      const landing = await browser.get(`/recovery/password/${token}`);
      assert.equal(heading(landing.body), 'Conferma con un codice via SMS');
      assert.doesNotMatch(landing.body, /name="newPassword"/);
      const form = await browser.post('/recovery/password/second-factor', { token });
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /name="code"/);
      const code = /\b(\d{6})\b/.exec((await mailbox(t.app, mobile)).at(-1)!.text)![1]!;
      const done = await browser.post('/recovery/password/complete', { token, code, newPassword: 'Girasole#Lago-Blu42', confirmPassword: 'Girasole#Lago-Blu42' });
      assert.deepEqual([done.statusCode, done.headers.location], [303, '/recovery/password/done']);
    } finally {
      await t.close();
    }
  });
});

describe('S32: a whole recovery leaves no secret in the logs', () => {
  test('links, codes, tokens and passwords never reach the logs', async () => {
    const logLines: string[] = [];
    const t = await startTestApp({ LOG_LEVEL: 'debug', RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100' }, { logLines });
    try {
      await activateCitizen(t.app, { codiceFiscale: cf, email, mobile, password: 'Tramonto-Viola!Sul-Po7' });
      await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload: { codiceFiscale: cf, channel: 'email', email } });
      const token = await linkToken(t);
      await t.app.inject({ method: 'GET', url: `/recovery/password/${token}` });
      await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password/complete', payload: { token, newPassword: 'Girasole#Lago-Blu42' } });
      const { flowId } = (await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload: { codiceFiscale: cf, channel: 'sms', mobile } })).json();
      const code = /\b(\d{6})\b/.exec((await mailbox(t.app, mobile)).at(-1)!.text)![1]!;
      const verified = await t.app.inject({ method: 'POST', url: `/api/v1/recovery/password/${flowId}/code`, payload: { code } });
      await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password/complete', payload: { token: verified.json().token, newPassword: 'Nuvola@Rosa-Vento9' } });

      const logs = logLines.join('\n');
      assert.ok(logs.includes('/recovery/password'), 'the run was logged');
      for (const secret of [token, code, verified.json().token as string, 'Girasole#Lago-Blu42', 'Nuvola@Rosa-Vento9']) {
        assert.ok(!logs.includes(secret), `a secret reached the logs: ${secret.slice(0, 3)}…`);
      }
    } finally {
      await t.close();
    }
  });
});
