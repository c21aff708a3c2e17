import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { firstUncleanField, isCleanText, tooDeepField } from './text-input.ts';

const forbiddenChars = ['\u0000', '\u0007', '\u000B', '\u001B', '\u007F', '\u0085', '\u009F', '\uD800', '\uDFFF'];

describe('clean text (S37)', () => {
  it('accepts Italian, Romanian and astral text, tabs and line breaks', () => {
    for (const text of ['D’Annunzio Però', 'Ștefan Țăran', 'riga 1\nriga 2\r\n\tfine', '😀 emoji pair', '']) assert.ok(isCleanText(text), text);
  });
  it('refuses NUL, other C0 and C1 controls, DEL and lone surrogates', () => {
    for (const char of forbiddenChars) assert.equal(isCleanText(`a${char}b`), false, JSON.stringify(char));
  });
  it('any text with one forbidden character inserted is refused (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.constantFrom(...forbiddenChars), fc.nat(), (text, char, at) => {
      const position = at % (text.length + 1);
      assert.equal(isCleanText(text.slice(0, position) + char + text.slice(position)), false);
    }), { numRuns: 300 });
  });
  it('names the first unclean field of a nested body', () => {
    assert.equal(firstUncleanField({ a: 'ok', workers: [{ firstName: 'x' }, { firstName: 'y\u0000' }] }), 'workers.1.firstName');
    assert.equal(firstUncleanField({ 'k\u0000': 'v' }), '(body)');
    assert.equal(firstUncleanField('\uD800'), '(body)');
    assert.equal(firstUncleanField({ n: 5, b: true, z: null }), null);
  });
});

it('tooDeepField finds a body nested past the limit at any depth, without recursion', () => {
  let deep: unknown = 'x';
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(typeof tooDeepField(deep), 'string');
  assert.equal(tooDeepField({ a: { b: [1, 2, { c: 'd' }] } }), null);
  assert.equal(tooDeepField({ a: { b: { c: {} } } }, 3), 'a.b.c');
});
