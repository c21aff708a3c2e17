import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { normaliseMobile } from './phone.ts';

test('Italian mobiles get +39; spaces, dashes and 00 are accepted', () => {
  assert.equal(normaliseMobile('333 123 4567'), '+393331234567');
  assert.equal(normaliseMobile('+39 333-123-4567'), '+393331234567');
  assert.equal(normaliseMobile('0039 3331234567'), '+393331234567');
  assert.equal(normaliseMobile('+40 721 234 567'), '+40721234567');
});

test('landlines, short numbers and letters are refused', () => {
  for (const bad of ['06 1234 5678', '12345', '333-CALL-ME', '+39 333', '']) assert.equal(normaliseMobile(bad), null, bad);
});

test('property: the result is E.164 and normalising twice changes nothing', () => {
  fc.assert(fc.property(fc.string({ maxLength: 20 }), (input) => {
    const once = normaliseMobile(input);
    if (once === null) return;
    assert.match(once, /^\+\d{8,15}$/);
    assert.equal(normaliseMobile(once), once);
  }));
  fc.assert(fc.property(fc.stringMatching(/^3\d{9}$/), (national) => assert.equal(normaliseMobile(national), `+39${national}`)));
});
