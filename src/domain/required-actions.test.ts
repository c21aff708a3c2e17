import assert from 'node:assert/strict';
import { test } from 'node:test';
import { passwordExpiresAt, requiredActions, type CredentialState } from './required-actions.ts';

const now = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const base: CredentialState = { passwordChangedAt: daysAgo(10), passwordTemporaryUntil: null, pinState: 'none', pendingActions: [] };
const policy = { passwordMaxAgeDays: 180 };

test('a fresh password asks nothing', () => {
  assert.deepEqual(requiredActions(base, 'password', now, policy), []);
});

test('an expired or temporary password must be changed; a PIN session is not asked to', () => {
  const expired = { ...base, passwordChangedAt: daysAgo(181) };
  assert.deepEqual(requiredActions(expired, 'password', now, policy), ['change_password']);
  assert.deepEqual(requiredActions(expired, 'pin', now, policy), []);
  assert.deepEqual(requiredActions({ ...base, passwordTemporaryUntil: daysAgo(-3) }, 'password', now, policy), ['change_password']);
  assert.deepEqual(requiredActions(expired, 'password', now, { passwordMaxAgeDays: 0 }), [], '0 disables expiry');
});

test('an initial PIN asks for change_pin; enrolment actions follow in order', () => {
  const state = { ...base, pinState: 'initial' as const, pendingActions: ['verify_mobile', 'verify_email'] };
  assert.deepEqual(requiredActions(state, 'pin', now, policy), ['change_pin', 'verify_email', 'verify_mobile']);
});

test('expiry date: temporary deadline, else changed + max age', () => {
  assert.deepEqual(passwordExpiresAt(base, policy), new Date(daysAgo(10).getTime() + 180 * 86_400_000));
  assert.equal(passwordExpiresAt(base, { passwordMaxAgeDays: 0 }), null);
});
