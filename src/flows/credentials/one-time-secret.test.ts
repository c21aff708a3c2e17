// The one-time-secret module on PGlite (and PostgreSQL with TEST_DATABASE_URL): S5 keyed
// HMAC with rotation, S6 single use under 20 parallel consumers, S7 expiry on a moved clock,
// S8 attempts counted atomically and kept across reissues, S9 voiding.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../config.ts';
import { cryptoRandom } from '../../domain/clock.ts';
import { hashToken } from '../../domain/secrets.ts';
import { insertAccount } from '../../store/accounts.repo.ts';
import type { Db } from '../../store/db.ts';
import { TestClock } from '../../../test/helpers/clock.ts';
import { openTestDb } from '../../../test/helpers/db.ts';
import { productionEnv } from '../../../test/helpers/production.ts';
import { endWhatAChangeVoids } from './after-change.repo.ts';
import {
  codeMatches, consumeSecret, countAttempt, findLink, issueSecret, linkProblem, type SecretRequest,
} from './one-time-secret.ts';

const oldKey = 'Zq3-oldKey-7fJk2LmNp9RsTu1VwXy4Ab6Cd8Ef0Gh';
const newKey = 'Hn5-newKey-2dKe8QwRt4YuIo6PaSd0FgHj3KlZx';
const configWith = (keys: string[]) => ({ codeHmacKeys: keys });

describe('one-time secrets', () => {
  let db: Db;
  const clock = new TestClock();
  const deps = { clock, random: cryptoRandom, config: configWith([oldKey]) };
  let accountCount = 0;

  before(async () => { db = await openTestDb(); });
  after(() => db.close());

  async function newAccount(): Promise<string> {
    accountCount += 1;
    const account = await insertAccount(db, { codiceFiscale: `TESTCF${String(accountCount).padStart(10, '0')}`, firstName: 'Anna', lastName: 'Esposito',
      birthDate: null, email: null, mobile: null, pec: null, passwordHash: null, passwordTemporaryUntil: null }, clock.now());
    return account!.id;
  }

  const issue = (request: Partial<SecretRequest> & { accountId: string | null }, using = deps) =>
    db.transaction((tx) => issueSecret(tx, using, { purpose: 'pin_change_code', flowId: null, ttlSeconds: 600, ...request }));

  test('codes are stored as a keyed HMAC, never as the code or its plain hash (S5)', async () => {
    const accountId = await newAccount();
    const { id, secret } = await issue({ accountId });
    assert.match(secret, /^\d{6}$/);
    const row = (await db.query<{ secret_hash: string }>('SELECT secret_hash FROM one_time_secrets WHERE id = $1', [id])).rows[0]!;
    assert.notEqual(row.secret_hash, secret);
    assert.notEqual(row.secret_hash, hashToken(secret), 'an unkeyed SHA-256 of a 6-digit code falls to a million guesses');
    const counted = await countAttempt(db, { purpose: 'pin_change_code', accountId }, clock.now());
    assert.ok(codeMatches(deps, counted, secret));
    assert.ok(!codeMatches(deps, counted, secret === '000000' ? '000001' : '000000'));
    assert.ok(!codeMatches(deps, null, secret), 'no row, no match');
  });

  test('a code made under the old key still verifies once a new key is put first; the new key signs new codes', async () => {
    const accountId = await newAccount();
    const { secret } = await issue({ accountId });
    const rotated = { ...deps, config: configWith([newKey, oldKey]) };
    const counted = await countAttempt(db, { purpose: 'pin_change_code', accountId }, clock.now());
    assert.ok(codeMatches(rotated, counted, secret), 'old key still verifies');
    assert.ok(!codeMatches({ config: configWith([newKey]) }, counted, secret), 'once the old key is dropped its codes are dead');
    const fresh = await issue({ accountId }, rotated);
    const freshRow = await countAttempt(db, { purpose: 'pin_change_code', accountId }, clock.now());
    assert.ok(codeMatches({ config: configWith([newKey]) }, freshRow, fresh.secret), 'signed by the first key');
  });

  test('links are SHA-256 of a 256-bit token and are found by it (S4, S5)', async () => {
    const accountId = await newAccount();
    const { secret, id } = await issue({ accountId, purpose: 'password_reset_link' });
    assert.ok(Buffer.from(secret, 'base64url').length >= 16);
    const row = await findLink(db, 'password_reset_link', secret);
    assert.deepEqual([row?.id, row?.secret_hash], [id, hashToken(secret)]);
    assert.equal(await findLink(db, 'password_reset_link', 'x'.repeat(43)), null);
  });

  test('expiry follows the injected clock (S7)', async () => {
    const accountId = await newAccount();
    const { id, expiresAt, secret } = await issue({ accountId, purpose: 'password_reset_link', ttlSeconds: 30 * 60 });
    assert.equal(expiresAt.getTime(), clock.now().getTime() + 30 * 60_000);
    clock.advance(30 * 60 - 1);
    assert.equal(linkProblem(await findLink(db, 'password_reset_link', secret), clock.now()), null, 'alive at 29:59');
    clock.advance(1);
    assert.equal(linkProblem(await findLink(db, 'password_reset_link', secret), clock.now()), 'token_expired');
    assert.equal(await db.transaction((tx) => consumeSecret(tx, id, clock.now())), null, 'an expired secret cannot be spent');
  });

  test('notAfter caps the lifetime', async () => {
    const accountId = await newAccount();
    const cap = new Date(clock.now().getTime() + 60_000);
    const { expiresAt } = await issue({ accountId, ttlSeconds: 600, notAfter: cap });
    assert.equal(expiresAt.getTime(), cap.getTime());
  });

  test('attempts: 20 parallel guesses count exactly five; then nothing is left to guess (S8)', async () => {
    const accountId = await newAccount();
    await issue({ accountId, maxAttempts: 5 });
    const counted = await Promise.all(Array.from({ length: 20 }, () => countAttempt(db, { purpose: 'pin_change_code', accountId }, clock.now())));
    assert.deepEqual(counted.filter(Boolean).map((row) => row!.attempts).sort((a, b) => a - b), [1, 2, 3, 4, 5]);
  });

  test('a reissue voids the earlier code (S9) and, in the same flow, keeps the attempts spent (S8)', async () => {
    const accountId = await newAccount();
    const flowId = '7b0c5c9e-3a39-4d41-9d3c-6a1f7f1e2a11';
    const first = await issue({ accountId, flowId });
    await countAttempt(db, { purpose: 'pin_change_code', flowId }, clock.now());
    await countAttempt(db, { purpose: 'pin_change_code', flowId }, clock.now());
    const second = await issue({ accountId, flowId });
    const counted = await countAttempt(db, { purpose: 'pin_change_code', flowId }, clock.now());
    assert.deepEqual([counted?.id, counted?.attempts], [second.id, 3], 'the budget goes on');
    assert.equal(await db.transaction((tx) => consumeSecret(tx, first.id, clock.now())), null, 'the first code is void');
    const otherFlow = await issue({ accountId, flowId: '0a6f2b0e-5d7b-4c1e-8e0a-2f9d1c3b4a55' });
    assert.equal((await countAttempt(db, { purpose: 'pin_change_code', flowId: '0a6f2b0e-5d7b-4c1e-8e0a-2f9d1c3b4a55' }, clock.now()))?.attempts, 1,
      `a new flow starts a new budget (${otherFlow.id})`);
  });

  test('single use: of 20 parallel consumers exactly one wins (S6)', async () => {
    const accountId = await newAccount();
    const { id } = await issue({ accountId, purpose: 'password_reset_link' });
    const results = await Promise.all(Array.from({ length: 20 }, () => db.transaction((tx) => consumeSecret(tx, id, clock.now()))));
    assert.equal(results.filter(Boolean).length, 1);
  });

  test('a credential change voids every outstanding secret of the account, and only of that account (S9)', async () => {
    const [accountId, bystander] = [await newAccount(), await newAccount()];
    const link = await issue({ accountId, purpose: 'password_reset_link' });
    const code = await issue({ accountId, purpose: 'pin_recovery_code', ttlSeconds: 24 * 3600 });
    const theirs = await issue({ accountId: bystander, purpose: 'pin_recovery_code' });
    await db.transaction((tx) => endWhatAChangeVoids(tx, { accountId, keepSessionIdHash: undefined, clearGuardOf: null, now: clock.now() }));
    assert.equal(linkProblem(await findLink(db, 'password_reset_link', link.secret), clock.now()), 'token_invalid');
    assert.equal(await db.transaction((tx) => consumeSecret(tx, code.id, clock.now())), null);
    assert.ok(await db.transaction((tx) => consumeSecret(tx, theirs.id, clock.now())), 'another account keeps its code');
  });

  test('the 410 reasons: used, expired, void, unknown', async () => {
    const accountId = await newAccount();
    const { id, secret } = await issue({ accountId, purpose: 'password_reset_link' });
    await db.transaction((tx) => consumeSecret(tx, id, clock.now()));
    assert.equal(linkProblem(await findLink(db, 'password_reset_link', secret), clock.now()), 'token_used');
    assert.equal(linkProblem(null, clock.now()), 'token_invalid');
    const orphan = await issue({ accountId: null, purpose: 'password_reset_link' });
    assert.equal(linkProblem(await findLink(db, 'password_reset_link', orphan.secret), clock.now()), 'token_invalid', 'a link of no account');
  });
});

describe('CODE_HMAC_KEYS', () => {
  const { CODE_HMAC_KEYS: _unset, ...production } = productionEnv;

  test('comma-separated, first signs; development derives one from SESSION_SECRET', () => {
    assert.deepEqual(loadConfig({ CODE_HMAC_KEYS: ` ${newKey} , ${oldKey}` }).codeHmacKeys, [newKey, oldKey]);
    const derived = loadConfig({ SESSION_SECRET: 's'.repeat(32) }).codeHmacKeys;
    assert.equal(derived.length, 1);
    assert.notEqual(derived[0], 's'.repeat(32), 'not the session secret itself');
    assert.deepEqual(loadConfig({ SESSION_SECRET: 's'.repeat(32) }).codeHmacKeys, derived, 'stable for one secret');
  });

  test('production refuses a missing or short key', () => {
    assert.throws(() => loadConfig(production), /CODE_HMAC_KEYS/);
    assert.throws(() => loadConfig({ ...production, CODE_HMAC_KEYS: `${newKey},short` }), /CODE_HMAC_KEYS/);
    assert.doesNotThrow(() => loadConfig({ ...production, CODE_HMAC_KEYS: newKey }));
  });
});
