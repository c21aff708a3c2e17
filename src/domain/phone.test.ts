import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { normaliseMobile } from './phone.ts';

test('Italian mobiles get +39; spaces, dashes, dots, brackets and 00 are accepted', () => {
  assert.equal(normaliseMobile('333 123 4567'), '+393331234567');
  assert.equal(normaliseMobile('+39 333-123-4567'), '+393331234567');
  assert.equal(normaliseMobile('0039 3331234567'), '+393331234567');
  assert.equal(normaliseMobile('(+39) 333.123.4567'), '+393331234567');
  assert.equal(normaliseMobile('331 234 567'), '+39331234567', 'older 9-digit mobiles');
  assert.equal(normaliseMobile('+40 721 234 567'), '+40721234567');
  assert.equal(normaliseMobile('0044 7700 900123'), '+447700900123');
});

test('landlines, short, long and malformed numbers are refused', () => {
  const bad = ['06 1234 5678', '+39 06 1234 5678', '12345', '333-CALL-ME', '+39 333', '', '+', '+0 123 456 789',
    '+39 333 123 45678', '+1 234 567 890 123 456', '33+31234567', '++393331234567', '٣٣٣١٢٣٤٥٦٧'];
  for (const input of bad) assert.equal(normaliseMobile(input), null, input);
});

const separator = fc.constantFrom('', ' ', '-', '.', '  ');
/** Digits written the way people do: separators between any of them. */
const written = (digits: string) => fc.array(separator, { minLength: digits.length, maxLength: digits.length })
  .map((seps) => [...digits].map((digit, i) => digit + seps[i]!).join('').trim());

test('property: any Italian mobile, however written and prefixed, normalises to +39 and its digits', () => {
  fc.assert(fc.property(
    fc.stringMatching(/^3\d{8,9}$/).chain((national) => fc.tuple(fc.constant(national), written(national))),
    fc.constantFrom('', '+39', '+39 ', '0039', '0039 ', '(+39) '),
    ([national, body], prefix) => assert.equal(normaliseMobile(prefix + body), `+39${national}`),
  ));
});

test('property: foreign E.164 numbers of 8 to 15 digits are kept, with + or 00', () => {
  fc.assert(fc.property(fc.stringMatching(/^[1-9]\d{7,14}$/).filter((digits) => !digits.startsWith('39')), (digits) => {
    assert.equal(normaliseMobile(`+${digits}`), `+${digits}`);
    assert.equal(normaliseMobile(`00${digits}`), `+${digits}`);
  }));
});

test('property: any result is E.164 and normalising twice changes nothing', () => {
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 24 }), fc.stringMatching(/^[+0]?[0-9 -]{6,20}$/)), (input) => {
    const once = normaliseMobile(input);
    if (once === null) return;
    assert.match(once, /^\+[1-9]\d{7,14}$/);
    assert.equal(normaliseMobile(once), once);
  }));
});
