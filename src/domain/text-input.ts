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
/** Deeper than this, a body is refused before anything recurses into it (no route needs 10 levels). */
export const maxNesting = 32;

/** The path where `value` nests deeper than `limit` levels, or null; iterative, so any depth is safe. */
export function tooDeepField(value: unknown, limit = maxNesting): string | null {
  const stack: { item: unknown; depth: number; path: string }[] = [{ item: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { item, depth, path } = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= limit) return path || '(body)';
    for (const [key, child] of Object.entries(item)) stack.push({ item: child, depth: depth + 1, path: path ? `${path}.${key}` : key });
  }
  return null;
}

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
