import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  checkCharacter, deriveBirthData, fullBirthYear, normaliseCodiceFiscale, parseCodiceFiscale, type CodiceFiscale,
} from './codice-fiscale.ts';

const monthLetters = 'ABCDEHLMPRST';
const omocodia = 'LMNPQRSTUV';
const digitPositions = [6, 7, 9, 10, 12, 13, 14];
const alphanumerics = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const cf = (code: string) => code as CodiceFiscale;
const withCheck = (first15: string) => first15 + checkCharacter(first15);

describe('known codes', () => {
  // Check letters cross-checked with an independent implementation of the published tables.
  const valid = [
    'RSSMRA85T10A562S', // Mario Rossi, 10 Dec 1985, San Giuliano Terme
    'MRTMTT91D08F205J', // Matteo Moretti, 8 Apr 1991, Milano
    'BNCGLI90C55H501W', // woman, 15 Mar 1990, Roma
    'BNCLRA00B69F839J', // woman, 29 Feb (2000), Napoli
    'RSSMRA85T10A56NH', // omocodia in position 14 (2 → N)
    'RSSMRAURTMLARSNL', // every digit position omocodic
    'RSSMRA85B29A562Z', // 29 February is accepted whatever the year
  ];

  test('real-format personal codes are valid', () => {
    for (const code of valid) assert.deepEqual(parseCodiceFiscale(code), { ok: true, value: code, kind: 'personal' }, code);
  });

  test('checkCharacter gives the published check letters and refuses malformed input', () => {
    for (const code of valid) assert.equal(checkCharacter(code.slice(0, 15)), code[15], code);
    assert.throws(() => checkCharacter('RSSMRA85T10A56'), RangeError);
    assert.throws(() => checkCharacter('rssmra85t10a562'), RangeError);
  });

  test('normalisation removes all whitespace and upper-cases', () => {
    assert.equal(normaliseCodiceFiscale(' rss mra\t85t10\na562s\u00a0'), 'RSSMRA85T10A562S');
    for (const input of ['rssmra85t10a562s', '  RSSMRA85T10A562S  ', 'RSS MRA 85T10 A562S', 'rss\tmra85T10a562S', '123 456 789 03']) {
      assert.equal(parseCodiceFiscale(input).ok, true, input);
    }
    assert.deepEqual(parseCodiceFiscale(' rssmra 85t10 a562s '), { ok: true, value: 'RSSMRA85T10A562S', kind: 'personal' });
    assert.deepEqual(parseCodiceFiscale('   \t '), { ok: false, reason: 'empty' });
    // Only ASCII letters are upper-cased: the long ſ would otherwise become S.
    assert.deepEqual(parseCodiceFiscale('RSSMRA85T10A562S'.replace('S', 'ſ')), { ok: false, reason: 'format' });
  });

  test('each kind of mistake is named', () => {
    const cases: [string, string][] = [
      ['', 'empty'],
      ['RSSMRA85T10A562', 'length'], ['RSSMRA85T10A562SX', 'length'], ['1234567890', 'length'],
      ['RSSMRA85T10A56$S', 'format'], ['RSSMR085T10A562S', 'format'], ['RSSMRA85T10A56AO', 'format'],
      ['RSSMRA858104562S', 'format'], ['RSSMRA85T10A5629', 'format'], ['1234567890A', 'format'],
      ['RSSMRA85F10A562R', 'month'], ['RSSMRA85510A562S', 'format'],
      ['RSSMRA85T00A562R', 'day'], ['RSSMRA85T32A562S', 'day'], ['RSSMRA85T40A562V', 'day'], ['RSSMRA85T72A562C', 'day'],
      ['RSSMRA85B30A562G', 'day'], ['RSSMRA85D31A562M', 'day'], [withCheck('RSSMRA85B70A562'), 'day'],
      [withCheck('RSSMRA85T10A000'), 'place'], ['RSSMRA85T10ALLLN', 'place'],
      ['RSSMRA85T10A562X', 'check_character'], ['RSSMRA85T10A562T', 'check_character'],
      ['12345678901', 'check_digit'],
    ];
    for (const [code, reason] of cases) assert.deepEqual(parseCodiceFiscale(code), { ok: false, reason }, code);
  });

  test('the provisional 11-digit code checks its last digit', () => {
    // 1+3+5+7+9 = 25 at even indices; 2,4,6,8,0 doubled → 4+8+3+7+0 = 22; (10 - 47 % 10) % 10 = 3.
    assert.deepEqual(parseCodiceFiscale('12345678903'), { ok: true, value: '12345678903', kind: 'provisional' });
    assert.deepEqual(parseCodiceFiscale('12345678901'), { ok: false, reason: 'check_digit' });
    assert.equal(parseCodiceFiscale('00000000000').ok, true);
    assert.equal(deriveBirthData(cf('12345678903')), null);
  });

  test('birth data: men and women (day + 40)', () => {
    assert.deepEqual(deriveBirthData(cf('RSSMRA85T10A562S')), { birthDate: { year2: 85, month: 12, day: 10 }, sex: 'M', placeCode: 'A562' });
    assert.deepEqual(deriveBirthData(cf('MRTMTT91D08F205J')), { birthDate: { year2: 91, month: 4, day: 8 }, sex: 'M', placeCode: 'F205' });
    assert.deepEqual(deriveBirthData(cf('BNCGLI90C55H501W')), { birthDate: { year2: 90, month: 3, day: 15 }, sex: 'F', placeCode: 'H501' });
    assert.deepEqual(deriveBirthData(cf('BNCLRA00B69F839J')), { birthDate: { year2: 0, month: 2, day: 29 }, sex: 'F', placeCode: 'F839' });
  });

  test('birth data: omocodia letters decode to digits', () => {
    const plain = deriveBirthData(cf('RSSMRA85T10A562S'));
    const lastPlaceDigit = withCheck('RSSMRA85T10A56N'); // 2 → N, check letter recomputed
    assert.equal(lastPlaceDigit, 'RSSMRA85T10A56NH');
    assert.equal(parseCodiceFiscale(lastPlaceDigit).ok, true);
    assert.equal(parseCodiceFiscale('RSSMRA85T10A56NS').ok, false, 'the old check letter no longer fits');
    assert.deepEqual(deriveBirthData(cf(lastPlaceDigit)), plain);
    assert.deepEqual(deriveBirthData(cf('RSSMRAURTMLARSNL')), plain);
  });

  test('fullBirthYear picks the latest century not in the future', () => {
    assert.equal(fullBirthYear(85, { year: 2026 }), 1985);
    assert.equal(fullBirthYear(10, { year: 2026 }), 2010);
    assert.equal(fullBirthYear(26, { year: 2026 }), 2026);
    assert.equal(fullBirthYear(27, { year: 2026 }), 1927);
    assert.equal(fullBirthYear(0, { year: 2026 }), 2000);
  });
});

const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
const daysIn = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const monthAndDay = fc.integer({ min: 0, max: 11 }).chain((month) => fc.record({
  month: fc.constant(month), day: fc.integer({ min: 1, max: daysIn[month]! }), female: fc.boolean(),
}));

/** A valid personal code, its plain (non-omocodic) form, and the birth data it was built from. */
const validPersonal = fc
  .record({
    names: fc.array(letter, { minLength: 6, maxLength: 6 }).map((l) => l.join('')),
    year: digits(2),
    date: monthAndDay,
    placeLetter: letter,
    place: digits(3).filter((p) => p !== '000'),
    substitutions: fc.subarray(digitPositions),
  })
  .map(({ names, year, date, placeLetter, place, substitutions }) => {
    const dayField = String(date.day + (date.female ? 40 : 0)).padStart(2, '0');
    const plain = `${names}${year}${monthLetters[date.month]}${dayField}${placeLetter}${place}`;
    const chars = [...plain];
    for (const position of substitutions) chars[position] = omocodia[Number(chars[position])]!;
    const birthData = {
      birthDate: { year2: Number(year), month: date.month + 1, day: date.day },
      sex: date.female ? 'F' : 'M',
      placeCode: placeLetter + place,
    };
    return { plain: withCheck(plain), code: withCheck(chars.join('')), birthData };
  });

const validProvisional = digits(10).map((first10) => {
  for (let check = 0; check < 10; check++) if (parseCodiceFiscale(first10 + check).ok) return first10 + check;
  throw new Error(`no check digit for ${first10}`);
});

const replaceAt = (code: string, position: number, char: string) => code.slice(0, position) + char + code.slice(position + 1);

describe('properties', () => {
  test('every generated valid code parses and derives the birth data of its plain form', () => {
    fc.assert(fc.property(validPersonal, ({ plain, code, birthData }) => {
      assert.deepEqual(parseCodiceFiscale(code), { ok: true, value: code, kind: 'personal' });
      assert.deepEqual(deriveBirthData(cf(plain)), birthData);
      assert.deepEqual(deriveBirthData(cf(code)), birthData);
    }), { numRuns: 500 });
  });

  test('whitespace and lower case never change the outcome', () => {
    fc.assert(fc.property(validPersonal, fc.array(fc.constantFrom(' ', '\t', '\n'), { maxLength: 20 }), fc.infiniteStream(fc.nat(16)), ({ code }, spaces, at) => {
      let messy = code.toLowerCase();
      for (const space of spaces) { const i = at.next().value % (messy.length + 1); messy = messy.slice(0, i) + space + messy.slice(i); }
      assert.deepEqual(parseCodiceFiscale(messy), parseCodiceFiscale(code));
    }));
  });

  // Any single-character change (to any other of 0-9/A-Z, at any of the 16 positions) is refused. Why it holds:
  // - within letters and within digits both tables are one-to-one mod 26, so the sum changes;
  // - the only cross-class equal values are digit d ↔ letter A..J (index d), and those are never both admissible
  //   at one position (A..J are not omocodia letters; a digit in a letter position is 'format');
  // - digit d ↔ an omocodia letter always changes the value (L..V never collide with a digit), which is why an
  //   omocodic code needs its check letter recomputed; at position 15 any other letter, or a digit, fails.
  test('any single character change of a valid personal code is refused', () => {
    fc.assert(fc.property(validPersonal, fc.nat(15), fc.integer({ min: 1, max: 35 }), ({ code }, position, shift) => {
      const changed = alphanumerics[(alphanumerics.indexOf(code[position]!) + shift) % 36]!;
      const mutated = replaceAt(code, position, changed);
      assert.equal(parseCodiceFiscale(mutated).ok, false, `${code} → ${mutated}`);
    }), { numRuns: 2000 });
  });

  test('a same-class change is refused, by the check character wherever the shape still holds', () => {
    fc.assert(fc.property(validPersonal, fc.nat(15), fc.integer({ min: 1, max: 25 }), ({ code }, position, shift) => {
      const char = code[position]!;
      const isDigit = char >= '0' && char <= '9';
      const changed = isDigit ? String((Number(char) + shift) % 10) : String.fromCharCode(65 + ((char.charCodeAt(0) - 65 + shift) % 26));
      fc.pre(changed !== char);
      const result = parseCodiceFiscale(replaceAt(code, position, changed));
      assert.equal(result.ok, false);
      if (!result.ok) assert.ok(['month', 'day', 'place', 'check_character', 'format'].includes(result.reason));
      // Name letters, place letter and check letter carry no other rule: only the check character can object.
      if (!result.ok && [0, 1, 2, 3, 4, 5, 11, 15].includes(position)) assert.equal(result.reason, 'check_character');
    }), { numRuns: 2000 });
  });

  test('any single digit change of a provisional code is caught', () => {
    // Even indices count as is, odd ones through 0→0, 1→2, …, 4→8, 5→1, …, 9→9: both one-to-one mod 10.
    fc.assert(fc.property(validProvisional, fc.nat(10), fc.integer({ min: 1, max: 9 }), (code, position, shift) => {
      assert.equal(parseCodiceFiscale(code).ok, true);
      const mutated = replaceAt(code, position, String((Number(code[position]) + shift) % 10));
      assert.deepEqual(parseCodiceFiscale(mutated), { ok: false, reason: 'check_digit' }, `${code} → ${mutated}`);
    }), { numRuns: 1000 });
  });
});
