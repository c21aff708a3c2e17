// Secrets handling (issue 13): signing and HMAC keys and API tokens come from the environment
// or from files (NAME_FILE), production refuses missing or short ones, and none of them ever
// reaches a log line or a response body, whatever the request (S32, S28).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { activateCitizen, adminToken, startTestApp } from '../helpers/app.ts';
import { createOperator } from '../helpers/operator.ts';

const production = {
  VARCO_ENV: 'production', PUBLIC_URL: 'https://varco.example.it', DATABASE_URL: 'postgres://db/varco',
  SMTP_URL: 'smtp://mail', SMS_GATEWAY_URL: 'https://sms.example.it/send', OIDC_KEY_ENCRYPTION_KEY: 'e'.repeat(64),
};

describe('S32 secrets: from files, refused when weak, never shown', () => {
  test('secrets come from NAME_FILE as from NAME; both at once, or an unreadable file, is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'varco-secrets-'));
    writeFileSync(join(dir, 'session'), `${'s'.repeat(48)}\n`);
    writeFileSync(join(dir, 'hmac'), `${'h'.repeat(48)},${'o'.repeat(48)}`);
    const config = loadConfig({ ...production, SESSION_SECRET_FILE: join(dir, 'session'), CODE_HMAC_KEYS_FILE: join(dir, 'hmac') });
    assert.equal(config.sessionSecret, 's'.repeat(48), 'the trailing newline of the file is not part of the secret');
    assert.deepEqual(config.codeHmacKeys, ['h'.repeat(48), 'o'.repeat(48)]);
    assert.throws(() => loadConfig({ ...production, SESSION_SECRET: 'x'.repeat(48), SESSION_SECRET_FILE: join(dir, 'session') }), ConfigError);
    assert.throws(() => loadConfig({ ...production, SESSION_SECRET_FILE: join(dir, 'missing') }), (e: unknown) =>
      e instanceof ConfigError && !e.message.includes('s'.repeat(10)));
  });

  test('production refuses missing and short signing and HMAC keys', () => {
    const keys = { SESSION_SECRET: 'p'.repeat(40), CODE_HMAC_KEYS: 'k'.repeat(40) };
    assert.doesNotThrow(() => loadConfig({ ...production, ...keys }));
    assert.throws(() => loadConfig({ ...production, CODE_HMAC_KEYS: keys.CODE_HMAC_KEYS }), /SESSION_SECRET/);
    assert.throws(() => loadConfig({ ...production, SESSION_SECRET: keys.SESSION_SECRET }), /CODE_HMAC_KEYS/);
    assert.throws(() => loadConfig({ ...production, ...keys, SESSION_SECRET: 'short-secret' }), /SESSION_SECRET/);
    assert.throws(() => loadConfig({ ...production, ...keys, CODE_HMAC_KEYS: `${keys.CODE_HMAC_KEYS},short` }), /CODE_HMAC_KEYS/);
  });

  test('the session secret, the HMAC key and API tokens never reach the logs or a body', async () => {
    const sessionSecret = 'session-secret-under-test-0123456789abcdef';
    const hmacKey = 'hmac-key-under-test-0123456789abcdef0123';
    const lines: string[] = [];
    const t = await startTestApp({ SESSION_SECRET: sessionSecret, CODE_HMAC_KEYS: hmacKey, LOG_LEVEL: 'debug' }, { logLines: lines });
    const bodies: string[] = [];
    try {
      const operatorToken = await createOperator(t.app);
      await activateCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', password: 'Tramonto-Viola!Sul-Po7' });
      for (const headers of [{ authorization: `Bearer ${adminToken}` }, { authorization: `Bearer ${operatorToken}` }, { authorization: `Bearer ${adminToken}x` }]) {
        for (const [method, url] of [['GET', '/api/v1/desk/requests'], ['POST', '/api/v1/admin/accounts'], ['GET', '/api/v1/admin/oidc/clients'], ['POST', '/api/v1/enrolments']] as const) {
          const response = await t.app.inject({ method, url, headers, ...(method === 'POST' ? { payload: '{bad json' , headers: { ...headers, 'content-type': 'application/json' } } : {}) });
          bodies.push(response.body);
        }
      }
      await t.app.inject({ method: 'POST', url: '/api/v1/recovery/password', payload: { codiceFiscale: 'RSSMRA85T10A562S', channel: 'email', email: 'mario@example.it' } });
      const secrets = [sessionSecret, hmacKey, adminToken, operatorToken];
      const seen = [...lines, ...bodies].join('\n');
      assert.ok(lines.length > 0, 'the run logged');
      for (const secret of secrets) assert.ok(!seen.includes(secret), `a secret (${secret.slice(0, 6)}…) leaked`);
    } finally {
      await t.close();
    }
  });
});
