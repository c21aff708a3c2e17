// Mail and SMS peers that refuse, drop and hang: the messages of real flows wait in the outbox
// and are delivered once the peers come back, none lost and none twice (each Message-ID and
// each SMS idempotency key exactly once). The SMTP server sits behind a cuttable TCP proxy.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { createChannels } from '../../src/delivery/channels/index.ts';
import { createOutboxWorker } from '../../src/delivery/outbox.worker.ts';
import { registerCitizen, startTestApp, type TestApp } from '../helpers/app.ts';
import { startSmsGateway, type SmsRequest } from '../helpers/sms-gateway.ts';
import { startSmtp, type ReceivedMail, type TestSmtpServer } from '../helpers/smtp.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { processRecoveryStarts } from '../../src/flows/credentials/recovery-starts.ts';

const citizens = ['RSSMRA85T10A562S', 'VRDGPP80A01H501U', 'BNCLRA90M41F205Z'];

describe('SMTP and SMS peers that refuse, drop and hang', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let proxy: TcpProxy;
  let gateway: Server & { url: string };
  const mails: ReceivedMail[] = [];
  const sms: SmsRequest[] = [];
  const script: string[] = [];

  before(async () => {
    t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100' });
    smtp = await startSmtp(mails);
    proxy = await startTcpProxy({ host: '127.0.0.1', port: smtp.port }, 4540);
    gateway = await startSmsGateway(sms, script);
  });
  after(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    gateway.closeAllConnections();
    await new Promise((resolve) => gateway.close(resolve));
    await t.close();
  });

  test('every message of the flows arrives exactly once after the outage', async () => {
    for (const [i, cf] of citizens.entries()) {
      const created = await registerCitizen(t.app, { codiceFiscale: cf, email: `citizen${i}@example.it`, mobile: `+39333123456${i}`, temporaryPassword: 'Provvisoria-2026' });
      assert.equal(created.statusCode, 201, created.body);
      for (const channel of ['email', 'sms'] as const) {
        const started = await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password',
          payload: { codiceFiscale: cf, channel, ...(channel === 'email' ? { email: `citizen${i}@example.it` } : { mobile: `+39333123456${i}` }) } });
        assert.equal(started.statusCode, 202);
      }
    }
    await processRecoveryStarts(t.deps); // starts are carried out off the request path (S2)
    const expected = (await t.deps.db.query<{ n: string; channel: string }>(
      `SELECT channel, count(*)::text AS n FROM outbox GROUP BY channel`)).rows;
    const expectedEmails = Number(expected.find((r) => r.channel === 'email')?.n ?? 0);
    const expectedSms = Number(expected.find((r) => r.channel === 'sms')?.n ?? 0);
    assert.ok(expectedEmails >= citizens.length && expectedSms === citizens.length, JSON.stringify(expected));

    const config = loadConfig({ SMTP_URL: `smtp://127.0.0.1:${proxy.port}`, SMS_GATEWAY_URL: gateway.url, SESSION_SECRET: 'x'.repeat(32) });
    const channels = createChannels(config);
    const worker = createOutboxWorker({ db: t.deps.db, clock: t.clock, channels });
    try {
      // The mail server refuses every connection; the SMS gateway fails, then hangs, then fails.
      proxy.cut();
      script.push('fail', 'hang', 'fail');
      await worker.runOnce();
      assert.equal(mails.length, 0, 'nothing got through the cut');
      // Still down a while: more attempts, still nothing lost.
      t.clock.advance(3600);
      await worker.runOnce();
      proxy.restore();
      for (let round = 0; round < 6 && (mails.length < expectedEmails || new Set(sms.map((s) => s.idempotencyKey)).size < expectedSms); round++) {
        t.clock.advance(3600);
        await worker.runOnce();
      }
    } finally {
      channels.email.close?.();
    }
    const ids = mails.map((m) => m.messageId);
    assert.equal(ids.length, expectedEmails, 'every email arrived');
    assert.equal(new Set(ids).size, ids.length, 'no email twice');
    const delivered = (await t.deps.db.query<{ status: string; n: string }>(`SELECT status, count(*)::text AS n FROM outbox GROUP BY status`)).rows;
    assert.deepEqual(delivered.map((r) => r.status), ['sent'], JSON.stringify(delivered));
    // The gateway saw retries (its key is the row id, so the provider dedups); each SMS was accepted once.
    const keys = new Set(sms.map((s) => s.idempotencyKey));
    assert.equal(keys.size, expectedSms, 'every SMS reached the gateway');
  });
});
