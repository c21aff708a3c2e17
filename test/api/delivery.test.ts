// Issue 3, end to end: a password-change notice, a reset link and an SMS code, produced by the
// real flows, travel through the outbox to a real SMTP server and an HTTP SMS gateway.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { createChannels } from '../../src/delivery/channels/index.ts';
import { createOutboxWorker } from '../../src/delivery/outbox.worker.ts';
import { processRecoveryStarts } from '../../src/flows/credentials/recovery-starts.ts';
import { registerCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { startSmsGateway, type SmsRequest } from '../helpers/sms-gateway.ts';
import { startSmtp, type ReceivedMail, type TestSmtpServer } from '../helpers/smtp.ts';

describe('flows deliver through real peers', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let gateway: Server & { url: string };
  const mails: ReceivedMail[] = [];
  const sms: SmsRequest[] = [];

  before(async () => {
    t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '10' });
    smtp = await startSmtp(mails);
    gateway = await startSmsGateway(sms, []);
  });
  after(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise((resolve) => gateway.close(resolve));
    await t.close();
  });

  test('credential_changed, password_reset_link and password_reset_code arrive', async () => {
    const cf = 'RSSMRA85T10A562S';
    await registerCitizen(t.app, { codiceFiscale: cf, email: 'anna@example.it', mobile: '+393331234567', temporaryPassword: 'Provvisoria-2026' });
    const session = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password: 'Provvisoria-2026' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: sessionCookieOf(session) },
      payload: { currentPassword: 'Provvisoria-2026', newPassword: 'Tramonto-Viola!Sul-Po7' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload: { codiceFiscale: cf, channel: 'email', email: 'anna@example.it' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload: { codiceFiscale: cf, channel: 'sms', mobile: '+393331234567' } });

    assert.equal(await processRecoveryStarts(t.deps), 2, 'the recovery-start worker carries out both starts');
    const config = loadConfig({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, SMS_GATEWAY_URL: gateway.url, SESSION_SECRET: 'x'.repeat(32) });
    const channels = createChannels(config);
    const worker = createOutboxWorker({ db: t.deps.db, clock: t.clock, channels });
    assert.equal(await worker.runOnce(), 3);
    assert.equal(mails.length, 2);
    assert.ok(mails.some((m) => /credenziali sono cambiate/.test(m.raw)));
    assert.ok(mails.some((m) => /\/recovery\/password\/[A-Za-z0-9_-]{43}/.test(m.raw)));
    assert.equal(sms.length, 1);
    assert.match(sms[0]!.text, /\b\d{6}\b/);
    assert.equal(sms[0]!.to, '+393331234567');
    channels.email.close?.();
  });
});
