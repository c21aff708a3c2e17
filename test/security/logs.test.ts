// S32: a full run's logs hold none of the secrets the run used.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, mailbox, registerCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';

describe('S32 logs never contain secrets', () => {
  const logLines: string[] = [];
  const secrets: string[] = [adminToken];
  let t: TestApp;
  before(async () => { t = await startTestApp({ LOG_LEVEL: 'debug' }, { logLines }); });
  after(() => t.close());

  test('sign-in, password change, failures and admin calls leave no secret in the logs', async () => {
    const temporary = 'Provvisoria-2026';
    const strong = 'Tramonto-Viola!Sul-Po7';
    secrets.push(temporary, strong);
    await registerCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', email: 'anna@example.it', temporaryPassword: temporary });
    await registerCitizen(t.app, { codiceFiscale: 'MRTMTT91D08F205J', email: 'matteo@example.it' });
    const generated = /:\n(\S+)\n/.exec((await mailbox(t.app, 'matteo@example.it'))[0]?.text ?? '')?.[1];
    assert.ok(generated);
    secrets.push(generated);
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password: temporary } });
    const cookie = sessionCookieOf(first);
    secrets.push(cookie.split('=')[1]!);
    await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie }, payload: { currentPassword: temporary, newPassword: strong } });
    await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password: 'Sbagliata-1!' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: '{"codiceFiscale":"RSSMRA85T10A562S","password":"Rotta!1"', headers: { 'content-type': 'application/json' } });

    const logs = logLines.join('\n');
    assert.ok(logs.includes('/api/v1/session'), 'the run was logged');
    for (const secret of secrets) assert.ok(!logs.includes(secret), `a secret reached the logs: ${secret.slice(0, 4)}…`);
    assert.ok(!logs.includes('Rotta!1'), 'a malformed body is not echoed');
  });
});
