import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isReadablePin, newActivePin, newInitialPin, splitPin } from './pin.ts';
import { cryptoRandom, type Random } from './clock.ts';

/** Randomness driven by fast-check, so shrinking finds the smallest failing draw. */
const scripted = (draws: number[]): Random => {
  let next = 0;
  return { bytes: cryptoRandom.bytes, int: (min, max) => min + ((draws[next++ % draws.length] ?? 0) % (max - min)) };
};

test('issued PINs never contain look-alikes and their halves reassemble them', () => {
  fc.assert(fc.property(fc.array(fc.nat(), { minLength: 16, maxLength: 16 }), (draws) => {
    const pin = newInitialPin(scripted(draws));
    assert.equal(pin.length, 16);
    assert.doesNotMatch(pin, /[0O1Il]/);
    assert.ok(isReadablePin(pin));
    const { firstHalf, secondHalf } = splitPin(pin);
    assert.equal(firstHalf.length, 8);
    assert.equal(firstHalf + secondHalf, pin);
  }));
});

test('the PIN after first access has 8 readable characters', () => {
  const pin = newActivePin(cryptoRandom);
  assert.equal(pin.length, 8);
  assert.ok(isReadablePin(pin));
});
