// S27: where a browser may be sent back to after signing in. Only a relative Varco path is
// accepted: no scheme, no host, no protocol-relative "//host" or "/\host" (browsers treat a
// backslash as a slash), no control characters, and none of these hidden behind percent
// encoding. Anything else is null and the caller falls back to its default page.

const maxLength = 512;
const base = 'https://varco.invalid';

function looksRelative(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return false;
  return true;
}

export function safeReturnTo(input: unknown): string | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > maxLength) return null;
  if (!looksRelative(input)) return null;
  // An encoded "//", "\" or control character may be decoded by a later hop: refuse them too.
  let decoded = input;
  for (let round = 0; round < 3; round += 1) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return null;
    }
    if (next === decoded) break;
    if (!looksRelative(next)) return null;
    decoded = next;
  }
  const url = new URL(input, base);
  if (url.origin !== base) return null;
  return url.pathname + url.search + url.hash;
}
