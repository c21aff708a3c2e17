import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cryptoRandom } from './clock.ts';
import { constantTimeEqual, hashToken, newNumericCode, newReadableSecret, newToken, readableAlphabet } from './secrets.ts';

test('tokens carry 256 bits and differ', () => {
  const a = newToken(cryptoRandom);
  assert.equal(Buffer.from(a, 'base64url').length, 32);
  assert.notEqual(a, newToken(cryptoRandom));
  assert.notEqual(hashToken(a), a);
});

test('numeric codes keep leading zeros and only digits', () => {
  const zeros = { bytes: cryptoRandom.bytes, int: () => 0 };
  assert.equal(newNumericCode(zeros, 6), '000000');
  fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), (digits) => {
    assert.match(newNumericCode(cryptoRandom, digits), new RegExp(`^\\d{${digits}}$`));
  }));
});

test('readable secrets never contain look-alikes', () => {
  assert.doesNotMatch(readableAlphabet, /[0O1Il]/);
  fc.assert(fc.property(fc.integer({ min: 1, max: 32 }), (length) => {
    const secret = newReadableSecret(cryptoRandom, length);
    assert.equal(secret.length, length);
    assert.doesNotMatch(secret, /[0O1Il]/);
  }));
});

test('constant-time comparison agrees with equality', () => {
  fc.assert(fc.property(fc.string(), fc.string(), (a, b) => assert.equal(constantTimeEqual(a, b), a === b)));
});
