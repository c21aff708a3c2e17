// S27: where a sign-in may send the browser afterwards. Only a path on Varco itself is ever
// kept; anything that a browser could resolve to another origin is dropped, not "fixed".
// The threats are open redirects through `next` / `return_to`: absolute URLs, scheme-relative
// `//host`, `/\host` (browsers read a backslash as a slash), and the same hidden behind
// percent-encoding, control characters or whitespace that browsers strip.

const maxLength = 1000;
const placeholderOrigin = 'https://varco.invalid';
// Pages that would send the journey round in a circle.
const loopingPaths = ['/signin', '/signout'];

/** Decodes percent-encoding until it stops changing, so every layer of encoding is judged. */
function fullyDecoded(value: string): string | null {
  let current = value;
  for (let round = 0; round < 5; round += 1) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}

function looksForeign(candidate: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(candidate) || /\s/.test(candidate)) return true;
  return !candidate.startsWith('/') || candidate.startsWith('//');
}

/** A relative Varco path (path, query and fragment), or null when the input is anything else. */
export function safeReturnTo(input: unknown): string | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > maxLength) return null;
  const decoded = fullyDecoded(input);
  if (decoded === null || looksForeign(input) || looksForeign(decoded)) return null;
  let parsed: URL;
  try {
    parsed = new URL(input, placeholderOrigin);
  } catch {
    return null;
  }
  if (parsed.origin !== placeholderOrigin) return null;
  if (loopingPaths.some((path) => parsed.pathname === path || parsed.pathname.startsWith(`${path}/`))) return null;
  // Dot segments can collapse into a scheme-relative path ('/.//host' resolves to '//host'):
  // what is returned is judged again, as a browser would read it.
  const kept = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  return looksForeign(kept) ? null : kept;
}
