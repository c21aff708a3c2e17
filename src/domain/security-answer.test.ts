import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseSecurityAnswer } from './security-answer.ts';

test('case, accents and spaces do not matter', () => {
  const forms = ['Nicolò Rossi', 'nicolo rossi', 'NICOLO ROSSI', ' Nicolo\u0300\tRossi ', 'nicolòrossi', 'NICOLÒ\u00A0ROSSI'];
  for (const form of forms) assert.equal(normaliseSecurityAnswer(form), 'nicolorossi', form);
});

test('letters and digits still do', () => {
  assert.notEqual(normaliseSecurityAnswer('Fido'), normaliseSecurityAnswer('Fida'));
  assert.notEqual(normaliseSecurityAnswer('Via Roma 1'), normaliseSecurityAnswer('Via Roma 2'));
  assert.equal(normaliseSecurityAnswer('Ærø Straße'), 'ærøstraße', 'letters without a separable accent stay');
});
