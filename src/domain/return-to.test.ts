import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { safeReturnTo } from './return-to.ts';

describe('safeReturnTo (S27)', () => {
  test('keeps relative Varco paths with their query', () => {
    assert.equal(safeReturnTo('/area'), '/area');
    assert.equal(safeReturnTo('/area/password?x=1#top'), '/area/password?x=1#top');
  });

  test('refuses absolute, protocol-relative, backslash and encoded variants', () => {
    for (const bad of ['https://evil.example', 'http:/evil', '//evil.example', '/\\evil.example', '\\\\evil', 'evil.example/area',
      '/%2F%2Fevil.example', '/%2f/evil', '/%5Cevil.example', '/%252F%252Fevil', '/a\nb', '/%0d%0aSet-Cookie:x', 'javascript:alert(1)', '', ' /area']) {
      assert.equal(safeReturnTo(bad), null, bad);
    }
  });

  test('refuses what is not a string or is too long', () => {
    assert.equal(safeReturnTo(undefined), null);
    assert.equal(safeReturnTo(['/area']), null);
    assert.equal(safeReturnTo(`/${'a'.repeat(600)}`), null);
  });
});
