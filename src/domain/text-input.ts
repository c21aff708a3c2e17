// S37 of SECURITY.md: text that reaches Varco is valid Unicode without control characters.
// NUL cannot be stored in PostgreSQL text (it answered 500), lone surrogates are not Unicode
// and break every encoder after us, and the other C0/C1 controls hide text from operators.
// Tab, line feed and carriage return stay: free-text fields (messages, notes) need them, and
// no single-line field can be abused with them once its own format is checked.

// With the `u` flag a lone surrogate is one code point in D800–DFFF; a valid pair is not.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF]/u;

export function isCleanText(value: string): boolean {
  return !forbidden.test(value);
}

/** The first field (dotted path) of a parsed body, query or params object holding unclean text, or null. */
export function firstUncleanField(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isCleanText(value) ? null : path || '(body)';
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = firstUncleanField(item, path ? `${path}.${index}` : String(index));
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!isCleanText(key)) return path || '(body)';
      const found = firstUncleanField(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}
