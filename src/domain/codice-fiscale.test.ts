import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { checkCharacter, deriveBirthData, fullBirthYear, parseCodiceFiscale, type CodiceFiscale } from './codice-fiscale.ts';

const omocodia = 'LMNPQRSTUV';
const digitPositions = [6, 7, 9, 10, 12, 13, 14];

function withCheck(first15: string): string {
  return first15 + checkCharacter(first15);
}

describe('known codes', () => {
  test('real-format personal codes are valid, whatever the case and spacing', () => {
    for (const code of ['RSSMRA85T10A562S', 'MRTMTT91D08F205J', ' rssmra 85t10 a562s ', 'BNCGLI90C55H501W']) {
      assert.equal(parseCodiceFiscale(code).ok, true, code);
    }
    assert.deepEqual(parseCodiceFiscale(' rssmra 85t10 a562s '), { ok: true, value: 'RSSMRA85T10A562S', kind: 'personal' });
  });

  test('each kind of mistake is named', () => {
    const cases: [string, string][] = [
      ['', 'empty'], ['RSSMRA85T10A562', 'length'], ['RSSMRA85T10A56$S', 'format'], ['RSSMRA85W10A562S', 'month'],
      ['RSSMRA85T32A562S', 'day'], ['RSSMRA85B30A562S', 'day'], [withCheck('RSSMRA85T10A000'), 'place'],
      ['RSSMRA85T10A562X', 'check_character'], ['12345678901', 'check_digit'], ['1234567890A', 'format'],
      ['RSSMRA85T1AA562S', 'format'],
    ];
    for (const [code, reason] of cases) assert.deepEqual(parseCodiceFiscale(code), { ok: false, reason }, code);
  });

  test('the provisional 11-digit code checks its last digit', () => {
    assert.deepEqual(parseCodiceFiscale('12345678903'), { ok: true, value: '12345678903', kind: 'provisional' });
    assert.equal(deriveBirthData('12345678903' as CodiceFiscale), null);
  });

  test('birth data: women add 40 to the day; omocodia letters decode to digits', () => {
    assert.deepEqual(deriveBirthData('BNCGLI90C55H501W' as CodiceFiscale), { birthDate: { year2: 90, month: 3, day: 15 }, sex: 'F', placeCode: 'H501' });
    const omocodic = withCheck('RSSMRA85T10A56N'); // 2 in the last place digit → N
    assert.equal(parseCodiceFiscale(omocodic).ok, true);
    assert.deepEqual(deriveBirthData(omocodic as CodiceFiscale), deriveBirthData('RSSMRA85T10A562S' as CodiceFiscale));
    assert.equal(fullBirthYear(85, { year: 2026 }), 1985);
    assert.equal(fullBirthYear(10, { year: 2026 }), 2010);
  });
});

const letter = fc.integer({ min: 0, max: 25 }).map((i) => String.fromCharCode(65 + i));
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const validPersonal = fc
  .record({
    names: fc.array(letter, { minLength: 6, maxLength: 6 }).map((l) => l.join('')),
    year: digits(2),
    month: fc.integer({ min: 0, max: 11 }),
    day: fc.integer({ min: 1, max: 28 }),
    female: fc.boolean(),
    placeLetter: letter,
    place: digits(3).filter((p) => p !== '000'),
    substitutions: fc.subarray(digitPositions),
  })
  .map((r) => {
    const plain = `${r.names}${r.year}${'ABCDEHLMPRST'[r.month]}${String(r.day + (r.female ? 40 : 0)).padStart(2, '0')}${r.placeLetter}${r.place}`;
    const chars = [...plain];
    for (const position of r.substitutions) chars[position] = omocodia[Number(chars[position])]!;
    return { plain: withCheck(plain), code: withCheck(chars.join('')) };
  });

describe('properties', () => {
  test('every generated valid code parses and derives the birth data of its plain form', () => {
    fc.assert(fc.property(validPersonal, ({ plain, code }) => {
      const parsed = parseCodiceFiscale(code);
      assert.ok(parsed.ok, code);
      assert.deepEqual(deriveBirthData(code as CodiceFiscale), deriveBirthData(plain as CodiceFiscale));
    }));
  });

  test('any single character changed in the first 15 is caught by the check character', () => {
    fc.assert(fc.property(validPersonal, fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 35 }), ({ code }, position, shift) => {
      const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
      const changed = alphabet[(alphabet.indexOf(code[position]!) + shift) % 36]!;
      const mutated = code.slice(0, position) + changed + code.slice(position + 1);
      assert.equal(parseCodiceFiscale(mutated).ok, false, `${code} → ${mutated}`);
    }));
  });

  test('a changed check character is refused', () => {
    fc.assert(fc.property(validPersonal, letter, ({ code }, other) => {
      fc.pre(other !== code[15]);
      assert.equal(parseCodiceFiscale(code.slice(0, 15) + other).ok, false);
    }));
  });

  test('any single digit changed in a provisional code is caught', () => {
    const provisional = digits(10).map((first10) => {
      for (let check = 0; check < 10; check++) if (parseCodiceFiscale(first10 + check).ok) return first10 + check;
      throw new Error('no check digit');
    });
    fc.assert(fc.property(provisional, fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 9 }), (code, position, shift) => {
      const mutated = code.slice(0, position) + String((Number(code[position]) + shift) % 10) + code.slice(position + 1);
      assert.equal(parseCodiceFiscale(mutated).ok, false, `${code} → ${mutated}`);
    }));
  });
});
