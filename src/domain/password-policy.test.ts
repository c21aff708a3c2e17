// Password policy (S12 of SECURITY.md): each rule in isolation, the profiles, NFKC, and properties.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as commonWords from '@zxcvbn-ts/language-common';
import * as italianWords from '@zxcvbn-ts/language-it';
import {
  checkPasswordPolicy,
  configureStrengthEstimator,
  normalisePassword,
  passwordRules,
  POLICY_VIOLATIONS,
  type PersonalData,
  type PolicyViolation,
} from './password-policy.ts';

const nobody: PersonalData = {};
const mario: PersonalData = {
  codiceFiscale: 'RSSMRA85T10A562S',
  firstName: 'Mario',
  lastName: 'De Rossi',
  birthDate: { year: 1985, month: 12, day: 10 },
};
const STRONG = 'Tramonto-Viola!Sul-Po7';

describe('checkPasswordPolicy: each reason in isolation', () => {
  const cases: [string, 'classic' | 'asvs', PersonalData, PolicyViolation[]][] = [
    [STRONG, 'classic', mario, []],
    [STRONG, 'asvs', mario, []],
    ['Xq7#mZp2!vR4tL', 'asvs', nobody, ['too_short']],
    ['XQ7#MZP2!VR4', 'classic', nobody, ['missing_lowercase']],
    ['xq7#mzp2!vr4', 'classic', nobody, ['missing_uppercase']],
    ['Xq7#mZpk!vRwtL', 'classic', nobody, []],
    ['Xq#mZpk!vRwtL', 'classic', nobody, ['missing_digit']],
    ['Xq7vmZp2kvR4tL', 'classic', nobody, ['missing_symbol']],
    ['Xq7 mZp2kvR4tL', 'classic', nobody, []], // a space counts as a symbol
    ['Password1!', 'classic', nobody, ['too_common']],
    ['Passw0rd!', 'classic', nobody, ['too_common']],
    ['P@ssw0rd1!', 'classic', nobody, ['too_common']],
    // Italian words: Benvenuto1! scores 4 with the common dictionary alone, 1 with the Italian one.
    ['Benvenuto1!', 'classic', nobody, ['too_common']],
    ['Juventus1!', 'classic', nobody, ['too_common']],
    ['Cagliari1!', 'classic', nobody, ['too_common']],
    ['Tramonto-Rossi!Sul-Po7', 'classic', mario, ['contains_personal_data']],
    ['Tramonto-1985!Sul-Po7', 'classic', mario, ['contains_personal_data']],
    ['Tramonto!rssmra85t10a562s', 'classic', mario, ['contains_personal_data']],
    ['Tramonto-10.12.85!Sul-Po', 'classic', mario, ['contains_personal_data']], // DDMMYY
    ['Tramonto-19851210!Sul-Po', 'classic', mario, ['contains_personal_data']], // YYYYMMDD
    ['Tramonto-M a r i o!Sul-Po7', 'classic', mario, ['contains_personal_data']],
    ['Tramonto-VARCO!Sul-Po7', 'classic', nobody, ['contains_personal_data']],
    ['Tramonto-De!Sul-Po7', 'classic', mario, []], // name parts under 3 letters are ignored
  ];
  for (const [password, profile, person, expected] of cases) {
    it(`${profile} ${JSON.stringify(password)} → [${expected.join(', ')}]`, () => {
      assert.deepEqual(checkPasswordPolicy(password, profile, person), expected);
    });
  }

  it('never reports reused (the caller appends it) but keeps it last in the order', () => {
    assert.equal(POLICY_VIOLATIONS.at(-1), 'reused');
  });
});

describe('length and profiles', () => {
  it('classic rejects 65 code points, asvs accepts them', () => {
    const pw = STRONG.repeat(3).slice(0, 65);
    assert.deepEqual(checkPasswordPolicy(pw, 'classic', nobody), ['too_long']);
    assert.deepEqual(checkPasswordPolicy(pw, 'asvs', nobody), []);
  });

  it('asvs 14 chars → too_short and no composition reasons', () => {
    const out = checkPasswordPolicy('qwzxrtpkvmbnhg', 'asvs', nobody); // lower-case letters only
    assert.equal(out[0], 'too_short');
    assert.ok(!out.some((r) => r.startsWith('missing_')));
  });

  it('out-of-range length still reports composition reasons', () => {
    assert.deepEqual(checkPasswordPolicy('ab', 'classic', nobody).slice(0, 4), [
      'too_short', 'missing_uppercase', 'missing_digit', 'missing_symbol',
    ]);
  });

  it('asvs accepts 100 code points and never truncates', () => {
    const a = 'Il-gatto Nero salta sul Muretto di Via Po 7 volte!'.repeat(2);
    const b = a.slice(0, -1) + '?';
    assert.equal([...a].length, 100);
    assert.deepEqual(checkPasswordPolicy(a, 'asvs', nobody), []);
    assert.notEqual(normalisePassword(a), normalisePassword(b));
    assert.equal(normalisePassword(a), a);
  });

  it('counts code points, not UTF-16 units', () => {
    assert.ok(checkPasswordPolicy('🔑q7#mZp', 'classic', nobody).includes('too_short')); // 7 cp, 8 units
    assert.ok(!checkPasswordPolicy(`Xq7#${'🔑'.repeat(60)}`, 'classic', nobody).includes('too_long'));
    assert.deepEqual([passwordRules.classic.maxLength, passwordRules.asvs.maxLength], [64, 128]);
  });

  it('zxcvbn scores only the first 64 code points: a guessable prefix is rejected', () => {
    assert.deepEqual(checkPasswordPolicy('a'.repeat(64) + STRONG, 'asvs', nobody), ['too_common']);
  });
});

describe('NFKC', () => {
  it('fullwidth letters normalise', () => {
    assert.equal(normalisePassword('Ｐａｓｓ'), 'Pass');
    assert.deepEqual(checkPasswordPolicy('Ｐａｓｓｗｏｒｄ１！', 'classic', nobody), ['too_common']);
  });
});

describe('properties', () => {
  const person = fc.record(
    {
      codiceFiscale: fc.string(), firstName: fc.string(), lastName: fc.string(),
      birthDate: fc.record({ year: fc.integer({ min: 0, max: 9999 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) }),
    },
    { requiredKeys: [] },
  );
  it('never throws; reasons are allowed, ordered, unique', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 150 }), fc.constantFrom('classic', 'asvs' as const), person, (pw, profile, who) => {
        const out = checkPasswordPolicy(pw, profile, who);
        const idx = out.map((r) => POLICY_VIOLATIONS.indexOf(r));
        assert.ok(idx.every((i, k) => i >= 0 && (k === 0 || i > (idx[k - 1] ?? -1))));
        assert.ok(!out.includes('reused'));
      }),
      { numRuns: 200 },
    );
  });

  it('8..64 chars with every class passes composition and length', () => {
    const cls = (chars: string) => fc.constantFrom(...[...chars]);
    fc.assert(
      fc.property(cls('aàßzé'), cls('AÀZÉ'), cls('0179'), cls('!#€ -_'), fc.string({ unit: 'binary', minLength: 4, maxLength: 60 }),
        (l, u, d, s, tail) => {
          const pw = l + u + d + s + tail;
          const len = [...normalisePassword(pw)].length;
          fc.pre(len >= 8 && len <= 64);
          const out = checkPasswordPolicy(pw, 'classic', nobody);
          assert.ok(out.every((r) => r === 'too_common' || r === 'contains_personal_data'), out.join());
        }),
      { numRuns: 200 },
    );
  });
});

describe('the merged word table (issue 14) scores as the five lists do', () => {
  // Passwords as people build them: dictionary words (from each list), a capital, digits, l33t.
  const lists = [commonWords.dictionary.passwords, italianWords.dictionary.commonWords, italianWords.dictionary.firstnames,
    italianWords.dictionary.lastnames, italianWords.dictionary.wikipedia].map((list) => (list as string[]).slice(0, 4000));
  const word = fc.constantFrom(...lists.flat());
  const l33t: Record<string, string> = { a: '@', o: '0', i: '1', e: '3', s: '$' };
  const built = fc.tuple(word, fc.option(word), fc.option(fc.integer({ min: 0, max: 2999 })), fc.boolean(), fc.boolean(), fc.boolean())
    .map(([first, second, digits, capital, leet, bang]) => {
      let pw = first + (second ?? '') + (digits ?? '') + (bang ? '!' : '');
      if (leet) pw = pw.replace(/[aoies]/g, (c) => l33t[c] ?? c);
      return capital ? pw.charAt(0).toUpperCase() + pw.slice(1) : pw;
    });

  it('gives every password the verdict the separate lists give', () => {
    const passwords = fc.sample(built, 600);
    const verdicts = () => passwords.map((pw) => checkPasswordPolicy(pw, 'classic', nobody).includes('too_common'));
    try {
      configureStrengthEstimator(false);
      const separate = verdicts();
      configureStrengthEstimator(true);
      const merged = verdicts();
      assert.deepEqual(merged, separate);
      assert.ok(separate.some(Boolean) && separate.some((v) => !v), 'the sample holds weak and strong passwords');
    } finally {
      configureStrengthEstimator(true);
    }
  });
});
