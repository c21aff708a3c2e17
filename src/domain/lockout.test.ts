import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { afterSuccess, freshGuard, lockDurationSeconds, reserveAttempt, reserveFromFresh, type GuardState } from './lockout.ts';

const policy = { threshold: 5, baseLockSeconds: 900, maxLockSeconds: 86_400 };
const t0 = new Date('2026-01-01T00:00:00Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

test('the attempt that reaches the threshold locks provisionally', () => {
  let state: GuardState = freshGuard;
  for (let i = 1; i <= 4; i++) {
    const decision = reserveAttempt(state, t0, policy);
    assert.ok(decision.allowed && !decision.locksOnFailure);
    state = decision.state;
  }
  const fifth = reserveAttempt(state, t0, policy);
  assert.ok(fifth.allowed && fifth.locksOnFailure);
  assert.deepEqual(fifth.state.lockedUntil, later(900));
  const sixth = reserveAttempt(fifth.state, later(10), policy);
  assert.ok(!sixth.allowed);
  assert.equal(sixth.retryAfterSeconds, 890);
});

test('an expired lock starts a fresh count', () => {
  const locked: GuardState = { failures: 5, lockedUntil: later(900), lockCount: 1 };
  const decision = reserveAttempt(locked, later(900), policy);
  assert.ok(decision.allowed);
  assert.equal(decision.state.failures, 1);
  assert.equal(decision.state.lockCount, 1, 'escalation remembers earlier locks');
});

test('locks double and stop at the cap', () => {
  assert.deepEqual([0, 1, 2, 3, 10, 50].map((n) => lockDurationSeconds(n, policy)), [900, 1800, 3600, 7200, 86_400, 86_400]);
  assert.deepEqual(afterSuccess(), freshGuard);
});

test('property: the decision a sign-in counts before reading its guard is the one for a fresh guard, and allows the attempt', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 86_400 }), fc.date({ noInvalidDate: true }), (threshold, baseLockSeconds, now) => {
      const rules = { threshold, baseLockSeconds, maxLockSeconds: 86_400 };
      const decision = reserveFromFresh(now, rules);
      assert.deepEqual(decision, reserveAttempt(freshGuard, now, rules));
      assert.equal(decision.state.failures, 1);
      assert.equal(decision.locksOnFailure, threshold === 1);
    }),
  );
});

test('property: however attempts arrive, no more than threshold are allowed between locks', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 60 }), (gaps) => {
      let state: GuardState = freshGuard;
      let now = 0;
      let allowedSinceFree = 0;
      for (const gap of gaps) {
        now += gap;
        const wasFree = !state.lockedUntil || state.lockedUntil <= later(now);
        if (wasFree && state.lockedUntil) allowedSinceFree = 0;
        const decision = reserveAttempt(state, later(now), policy);
        if (decision.allowed) allowedSinceFree++;
        assert.ok(allowedSinceFree <= policy.threshold);
        state = decision.state;
      }
    }),
  );
});
