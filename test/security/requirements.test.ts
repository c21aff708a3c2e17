// The index of the security suite: one test per item of shared/SECURITY.md, each naming the
// suites that prove it (they fail when the requirement breaks; this file fails when an item
// loses its proof, e.g. a suite removed or renamed). Items proved by a table over the whole
// service point first at it: S24/S28/S37 at the fuzzers over every operation and every form, S35
// at the table over every page, S36 at every state-changing route, the OpenAPI contract at every
// response the API suites receive; S4–S9 at the table of every secret the service hands out
// (one-time-secrets), S19/S21–S23 at every session route (sessions-every-route), S1/S3 at every
// sign-in method (sign-in-every-method). A sweep must hold a test named after each item it proves.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const proofs: Record<number, [string, string[]]> = {
  1: ['unknown account and wrong secret answer identically', ['test/security/sign-in-every-method.test.ts', 'test/api/sign-in.test.ts']],
  2: ['recovery and desk starts answer identically, sending through the outbox', ['test/api/password-recovery-enumeration.test.ts', 'test/api/pin-recovery.test.ts']],
  3: ['lockout and limits apply to unknown codici fiscali', ['test/security/sign-in-every-method.test.ts', 'test/api/sign-in.test.ts', 'test/api/password-recovery-enumeration.test.ts']],
  4: ['token, code and PIN entropy', ['test/security/one-time-secrets.sweep.ts', 'test/security/one-time-secrets.test.ts', 'src/flows/credentials/one-time-secret.test.ts', 'test/api/pin.test.ts']],
  5: ['secrets stored only as hashes', ['test/security/one-time-secrets.sweep.ts', 'test/security/one-time-secrets.test.ts', 'src/flows/credentials/one-time-secret.test.ts']],
  6: ['single use under 20 parallel uses', ['test/security/one-time-secrets.sweep.ts', 'test/security/one-time-secrets-race.test.ts', 'src/flows/credentials/one-time-secret.test.ts', 'test/api/password-recovery.test.ts', 'test/api/pin.test.ts']],
  7: ['lifetimes', ['test/security/one-time-secrets.sweep.ts', 'test/security/one-time-secrets.test.ts', 'src/flows/credentials/one-time-secret.test.ts', 'test/api/pin-recovery.test.ts']],
  8: ['at most 5 wrong codes, resend keeps the budget', ['test/security/one-time-secrets.sweep.ts', 'test/security/one-time-secrets.test.ts', 'src/flows/credentials/one-time-secret.test.ts', 'test/api/password-recovery.test.ts']],
  9: ['a new secret voids the previous; a change voids all', ['test/security/one-time-secrets.sweep.ts', 'test/security/one-time-secrets.test.ts', 'test/security/s9-after-change.test.ts']],
  10: ['constant-time comparisons', ['test/api/pin.test.ts']],
  11: ['argon2id parameters, upgraded at sign-in', ['test/api/rehash.test.ts']],
  12: ['password policy profiles', ['src/domain/password-policy.test.ts']],
  13: ['a change needs the current password or a fresh proof', ['test/api/sessions.test.ts', 'test/api/federation-recovery.test.ts']],
  14: ['expiry forces a change; warning 14 days before', ['src/flows/password-expiry/password-expiry.test.ts']],
  15: ['lockout threshold, atomic, notified, cleared by recovery', ['test/api/sign-in.test.ts', 'test/api/password-recovery.test.ts']],
  16: ['escalating locks, never permanent', ['test/api/sign-in.test.ts']],
  17: ['per-IP rate limits shared across instances', ['test/api/password-recovery-enumeration.test.ts', 'test/api/password-recovery.test.ts']],
  18: ['self-hosted captcha', ['test/api/password-recovery-enumeration.test.ts']],
  19: ['new session id at sign-in and privilege change', ['test/security/sessions-every-route.test.ts', 'test/api/sessions.test.ts', 'test/security/s9-after-change.test.ts']],
  20: ['cookie attributes', ['test/security/web.test.ts']],
  21: ['idle and absolute timeouts, logout destroys the session', ['test/security/sessions-every-route.test.ts', 'test/security/s35-no-store.test.ts']],
  22: ['a change ends every other session', ['test/security/sessions-every-route.test.ts', 'test/api/sessions.test.ts', 'test/security/s9-after-change.test.ts']],
  23: ['pending required actions block everything else', ['test/security/sessions-every-route.test.ts', 'test/api/sign-in.test.ts', 'test/api/pin.test.ts']],
  24: ['CSRF on every form, JSON only on JSON routes', ['test/security/csrf-every-page.test.ts', 'test/security/s24-fuzz-forms.test.ts', 'test/api/openapi-contract.test.ts']],
  25: ['security headers', ['test/security/web.test.ts', 'test/api/operations.test.ts']],
  26: ['tokens in the path, exchanged at once', ['test/api/password-recovery-pages.test.ts']],
  27: ['redirect targets on an allow-list', ['src/domain/return-to.test.ts', 'test/api/login-flow.test.ts']],
  28: ['no stack trace, SQL, path or version in any body', ['test/security/s28-fuzz-json-routes.test.ts', 'test/security/s24-fuzz-forms.test.ts']],
  29: ['identity documents decoded and re-encoded', ['src/adapters/document-sanitiser.test.ts', 'test/api/desk.test.ts']],
  30: ['notifications of every credential event', ['test/api/password-recovery.test.ts', 'test/api/pin.test.ts']],
  31: ['hash-chained audit trail', ['test/security/audit-integrity.test.ts']],
  32: ['logs never contain secrets', ['test/security/logs.test.ts']],
  33: ['SAML responses and OIDC rules', ['test/api/federation-acs.test.ts', 'test/api/oidc.test.ts']],
  34: ['operators never see a citizen secret', ['test/api/pin-desk.test.ts', 'test/api/desk.test.ts']],
  35: ['session-dependent responses are not cached', ['test/security/s35-no-store.test.ts']],
  36: ['cross-site state changes refused', ['test/security/cross-site.test.ts']],
  37: ['clean text at the edge of every route', ['test/security/text-input.test.ts', 'test/security/s28-fuzz-json-routes.test.ts']],
  38: ['503 with Retry-After when a dependency is down', ['test/faults/database-outage.test.ts']],
};

/** The whole-service sweeps of issue 13, whose tests carry the item's number. */
const namedSweeps = new Set(['test/security/one-time-secrets.sweep.ts', 'test/security/sessions-every-route.test.ts', 'test/security/sign-in-every-method.test.ts']);

const root = new URL('../../', import.meta.url);
const securityFile = new URL('../shared/SECURITY.md', root);
const security = existsSync(securityFile) ? readFileSync(securityFile, 'utf8') : '';

test('every item of SECURITY.md is in the index, and only those', { skip: security === '' && 'shared/SECURITY.md is not beside the checkout' }, () => {
  const items = [...security.matchAll(/^S(\d+)\./gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
  assert.deepEqual(Object.keys(proofs).map(Number), items);
});

for (const [number, [title, files]] of Object.entries(proofs)) {
  test(`S${number.padStart(2, '0')} ${title}`, () => {
    for (const file of files) {
      assert.ok(existsSync(new URL(file, root)), `${file} exists`);
      const text = readFileSync(new URL(file, root), 'utf8');
      // (the entry files of the one-time-secret sweep hold theirs through sweepSecrets)
      assert.match(text, /\b(test|it|sweepSecrets)\(/, `${file} holds tests`);
    }
    // A sweep names its tests after the item it proves: `S06 …` (one-time-secrets.sweep.ts builds them with title(6, …)).
    const sweep = files.find((file) => namedSweeps.has(file));
    if (sweep) {
      const text = readFileSync(new URL(sweep, root), 'utf8');
      assert.match(text, new RegExp(`\\bS${number.padStart(2, '0')} |title\\(${number},`), `${sweep} names a test after S${number}`);
    }
  });
}
