import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mailbox, registerCitizen, sessionCookieOf, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { sendPasswordExpiryWarnings } from './password-expiry.steps.ts';

describe('S14 password expiry warning', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ PASSWORD_MAX_AGE_DAYS: '180' });
    await registerCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', email: 'anna@example.it', temporaryPassword: 'Provvisoria-2026' });
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password: 'Provvisoria-2026' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: sessionCookieOf(first) },
      payload: { currentPassword: 'Provvisoria-2026', newPassword: 'Tramonto-Viola!Sul-Po7' } });
  });
  after(() => t.close());

  const warnings = async () => (await mailbox(t.app, 'anna@example.it')).filter((m) => m.kind === 'password_expiry_warning');

  test('nothing before 14 days to expiry, one warning after, never twice', async () => {
    t.clock.advance(165 * 86400);
    assert.equal(await sendPasswordExpiryWarnings(t.deps), 0);
    t.clock.advance(2 * 86400);
    assert.equal(await sendPasswordExpiryWarnings(t.deps), 1);
    assert.equal(await sendPasswordExpiryWarnings(t.deps), 0);
    assert.equal((await warnings()).length, 1);
  });

  test('a temporary password gets no warning', async () => {
    await registerCitizen(t.app, { codiceFiscale: 'MRTMTT91D08F205J', email: 'matteo@example.it', temporaryPassword: 'Provvisoria-2026' });
    t.clock.advance(200 * 86400);
    await sendPasswordExpiryWarnings(t.deps);
    assert.equal((await mailbox(t.app, 'matteo@example.it')).filter((m) => m.kind === 'password_expiry_warning').length, 0);
  });
});
