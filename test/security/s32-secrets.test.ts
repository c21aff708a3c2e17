// Secrets handling (issue 13): signing and HMAC keys and API tokens come from the environment
// or from files (NAME_FILE), production refuses missing or short ones, and none of them ever
// reaches a log line or a response body, whatever the request (S32, S28).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { weakSecretReason } from '../../src/domain/secrets.ts';
import { activateCitizen, adminToken, startTestApp } from '../helpers/app.ts';
import { createOperator } from '../helpers/operator.ts';
import { productionEnv, strongSecrets } from '../helpers/production.ts';

const { SESSION_SECRET: _session, CODE_HMAC_KEYS: _hmac, ...production } = productionEnv;
const keys = { SESSION_SECRET: strongSecrets.session, CODE_HMAC_KEYS: strongSecrets.codeHmac };

describe('S32 secrets: from files, refused when weak, never shown', () => {
  test('secrets come from NAME_FILE as from NAME; both at once, or an unreadable file, is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'varco-secrets-'));
    const oldHmacKey = 'r0tated-Out-but-still-verifying-Kq8Zw2Lm';
    writeFileSync(join(dir, 'session'), `${strongSecrets.session}\n`);
    writeFileSync(join(dir, 'hmac'), `${strongSecrets.codeHmac},${oldHmacKey}`);
    const config = loadConfig({ ...production, SESSION_SECRET_FILE: join(dir, 'session'), CODE_HMAC_KEYS_FILE: join(dir, 'hmac') });
    assert.equal(config.sessionSecret, strongSecrets.session, 'the trailing newline of the file is not part of the secret');
    assert.deepEqual(config.codeHmacKeys, [strongSecrets.codeHmac, oldHmacKey]);
    assert.throws(() => loadConfig({ ...production, SESSION_SECRET: 'x'.repeat(48), SESSION_SECRET_FILE: join(dir, 'session') }), ConfigError);
    assert.throws(() => loadConfig({ ...production, SESSION_SECRET_FILE: join(dir, 'missing') }), (e: unknown) =>
      e instanceof ConfigError && !e.message.includes(strongSecrets.session));
  });

  test('production refuses missing and short signing and HMAC keys', () => {
    assert.doesNotThrow(() => loadConfig({ ...production, ...keys }));
    assert.throws(() => loadConfig({ ...production, CODE_HMAC_KEYS: keys.CODE_HMAC_KEYS }), /SESSION_SECRET/);
    assert.throws(() => loadConfig({ ...production, SESSION_SECRET: keys.SESSION_SECRET }), /CODE_HMAC_KEYS/);
    assert.throws(() => loadConfig({ ...production, ...keys, SESSION_SECRET: 'short-secret' }), /SESSION_SECRET/);
    assert.throws(() => loadConfig({ ...production, ...keys, CODE_HMAC_KEYS: `${keys.CODE_HMAC_KEYS},short` }), /CODE_HMAC_KEYS/);
  });

  test('production refuses long secrets that are easy to guess, naming the setting and never its value', () => {
    const lowVariety = [
      'a'.repeat(64), // one character
      '0123456789abcdef'.repeat(4), // sixteen distinct characters, a block repeated
      'Secret-2026!'.repeat(4), // a memorable block repeated
      'abababab-cdcdcdcd-abababab-cdcdcdcd-ab', // few distinct characters
      'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP', // a run of the alphabet
    ];
    const oidcLowVariety = ['e'.repeat(64), 'a1'.repeat(32), '0123456789abcdef'.repeat(4), Buffer.alloc(32, 7).toString('base64')];
    const cases = [
      ...lowVariety.map((weak) => ({ name: 'SESSION_SECRET', env: { ...production, ...keys, SESSION_SECRET: weak }, weak })),
      ...lowVariety.map((weak) => ({ name: 'CODE_HMAC_KEYS', env: { ...production, ...keys, CODE_HMAC_KEYS: weak }, weak })),
      ...lowVariety.map((weak) => ({ name: 'CODE_HMAC_KEYS (key 2)', env: { ...production, ...keys, CODE_HMAC_KEYS: `${keys.CODE_HMAC_KEYS},${weak}` }, weak })),
      ...lowVariety.map((weak) => ({ name: 'BOOTSTRAP_ADMIN_TOKEN', env: { ...production, ...keys, BOOTSTRAP_ADMIN_TOKEN: weak }, weak })),
      ...oidcLowVariety.map((weak) => ({ name: 'OIDC_KEY_ENCRYPTION_KEY', env: { ...production, ...keys, OIDC_KEY_ENCRYPTION_KEY: weak }, weak })),
    ];
    for (const { name, env, weak } of cases) {
      assert.throws(() => loadConfig(env), (e: unknown) => {
        assert.ok(e instanceof ConfigError, `${name}: a ConfigError`);
        assert.ok(e.message.startsWith(`${name} is too easy to guess`), `${name}: named in "${e.message}"`);
        assert.ok(!e.message.includes(weak.slice(0, 8)), `${name}: the value is not shown`);
        return true;
      }, `${name} = ${weak.slice(0, 4)}… is refused`);
    }
    assert.doesNotThrow(() => loadConfig({ ...production, ...keys, BOOTSTRAP_ADMIN_TOKEN: 'Qm7vX2-bootstrap-Lp9zR4tY8wK1nC6sD3fH' }));
    assert.doesNotThrow(() => loadConfig({ ...production, ...keys, SESSION_SECRET: 'Vaporetto-Canal-Grande-2026-Rialto!' }), 'a long passphrase with variety');
  });

  test('a secret generated at random is never judged weak (hex, base64, decimal)', () => {
    fc.assert(fc.property(fc.integer({ min: 32, max: 96 }), fc.constantFrom('hex', 'base64url', 'decimal'), (length, alphabet) => {
      const bytes = randomBytes(length);
      const secret = alphabet === 'decimal'
        ? [...bytes].map((b) => String(b % 10)).join('')
        : bytes.toString(alphabet as BufferEncoding).slice(0, length);
      assert.equal(weakSecretReason(secret), undefined, secret);
    }), { numRuns: 2000 });
  });

  test('the service started in production with a weak secret exits at once, naming the setting only', () => {
    const weak = 'Secret-2026!'.repeat(4);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, ...production, ...keys, SESSION_SECRET: weak }, encoding: 'utf8', timeout: 60_000,
    });
    assert.equal(run.status, 78, run.stderr);
    assert.match(run.stderr, /Varco cannot start: SESSION_SECRET is too easy to guess/);
    assert.ok(!`${run.stdout}${run.stderr}`.includes('Secret-2026'), 'the value never printed');
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
