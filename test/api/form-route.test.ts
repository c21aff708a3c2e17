// The form-route helper (web/form-route.ts), seen from the browser: a refused form comes back
// as the same form, the error next to its field, what was typed kept except secrets; a body
// that fails the schema comes back the same way instead of a JSON problem.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { activateCitizen, startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

/** A form post with the page's CSRF token, as a browser would send it. */
async function postForm(path: string, formPage: string, fields: Record<string, string>, cookie = '') {
  const page = await t.app.inject({ method: 'GET', url: formPage, headers: cookie ? { cookie } : {} });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const secret = page.cookies.find((c) => c.name === 'varco_csrf')?.value;
  return t.app.inject({ method: 'POST', url: path, payload: new URLSearchParams({ ...fields, _csrf: token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [cookie, `varco_csrf=${secret}`].filter(Boolean).join('; ') } });
}

test('a step error re-renders the form with the error on its field and the typed values, never the secrets', async () => {
  const response = await postForm('/recovery/pin', '/recovery/pin', { codiceFiscale: 'NOTACODICE', email: 'anna@example.it', mobile: '+39 333 1234567',
    captchaChallenge: 'challenge-secret', captchaAnswer: '42' });
  assert.equal(response.statusCode, 400);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.match(response.body, /id="field-codiceFiscale"[^>]*class="form-control is-invalid"/);
  assert.match(response.body, /<div id="field-codiceFiscale-error" class="invalid-feedback d-block" role="alert">Codice fiscale non valido/);
  assert.match(response.body, /<a href="#field-codiceFiscale">/, 'the summary links to the field');
  assert.match(response.body, /name="codiceFiscale"[^>]*value="NOTACODICE"/);
  assert.match(response.body, /name="email"[^>]*value="anna@example.it"/);
  assert.ok(!response.body.includes('challenge-secret'), 'the captcha is not echoed');
});

test('a body that fails the schema comes back as the form, 400, with the field marked', async () => {
  const response = await postForm('/recovery/pin/confirm', '/recovery/pin/confirm', { codiceFiscale: 'R'.repeat(41), recoveryCode: '12345678' });
  assert.equal(response.statusCode, 400);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.match(response.body, /id="field-codiceFiscale-error"[^>]*>Controlla questo campo/);
  assert.match(response.body, /name="codiceFiscale"[^>]*value="R{40}"/, 'kept within its maxLength');
  assert.ok(!response.body.includes('12345678'), 'the recovery code is a secret');
});

test('the password form ties a weak password to the new-password field and echoes no password', async () => {
  const password = 'Tramonto-Viola!Sul-Po7';
  await activateCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', password });
  const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password } });
  const cookie = `varco_session=${signIn.cookies.find((c) => c.name === 'varco_session')!.value}`;
  const weak = await postForm('/area/password', '/area/password', { currentPassword: password, newPassword: 'password', confirmPassword: 'password' }, cookie);
  assert.equal(weak.statusCode, 400);
  assert.match(weak.body, /id="field-newPassword-error"/);
  assert.ok(!weak.body.includes(password) && !weak.body.includes('value="password"'));
  const mismatch = await postForm('/area/password', '/area/password', { currentPassword: password, newPassword: 'A', confirmPassword: 'B' }, cookie);
  assert.equal(mismatch.statusCode, 400);
  assert.match(mismatch.body, /id="field-confirmPassword-error"[^>]*>[^<]+/);
});
