import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { safeReturnTo } from './return-to.ts';

describe('safeReturnTo (S27)', () => {
  it('keeps a relative path on Varco with its query and fragment', () => {
    assert.equal(safeReturnTo('/area/pin/change'), '/area/pin/change');
    assert.equal(safeReturnTo('/oidc/interaction/abc?x=1#top'), '/oidc/interaction/abc?x=1#top');
    assert.equal(safeReturnTo('/area/./password'), '/area/password');
  });

  const foreign: [string, string][] = [
    ['absolute https URL', 'https://evil.example/area'],
    ['absolute http URL', 'http://evil.example'],
    ['javascript: URL', 'javascript:alert(1)'],
    ['data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['scheme-relative //host', '//evil.example/area'],
    ['backslash /\\host', '/\\evil.example'],
    ['backslashes \\\\host', '\\\\evil.example'],
    ['encoded //', '%2F%2Fevil.example'],
    ['half-encoded /%2F', '/%2Fevil.example'],
    ['encoded backslash /%5C', '/%5Cevil.example'],
    ['double-encoded /%252F', '/%252Fevil.example'],
    ['tab inside //', '/\t/evil.example'],
    ['newline inside //', '/\n/evil.example'],
    ['leading space', ' /area'],
    ['no leading slash', 'area'],
    ['host with userinfo', '//user@evil.example'],
    ['empty', ''],
    ['the sign-in page itself', '/signin?next=/area'],
    ['malformed encoding', '/area%E0%A4%A'],
    ['dot segments collapsing to //', '/.//evil.example'],
    ['dot-dot segments collapsing to //', '/a/..//evil.example'],
  ];
  for (const [name, value] of foreign) {
    it(`drops ${name}`, () => assert.equal(safeReturnTo(value), null));
  }

  it('drops what is not a string or is too long', () => {
    assert.equal(safeReturnTo(undefined), null);
    assert.equal(safeReturnTo(['/area']), null);
    assert.equal(safeReturnTo(`/${'a'.repeat(1000)}`), null);
  });

  it('whatever it keeps, a browser resolves on Varco (property)', () => {
    const pieces = fc.constantFrom('/', '//', '\\', '%2F', '%5C', '%25', 'evil.example', 'area', ':', '@', '?', '#', '\t', ' ', '.');
    const candidates = fc.oneof(fc.string(), fc.array(pieces, { maxLength: 8 }).map((parts) => parts.join('')));
    fc.assert(fc.property(candidates, (value) => {
      const kept = safeReturnTo(value);
      if (kept === null) return;
      assert.ok(kept.startsWith('/') && !kept.startsWith('//'));
      assert.equal(new URL(kept, 'https://varco.example').origin, 'https://varco.example');
    }), { numRuns: 1000 });
  });
});
