// Where a session came from, as far as an address tells without asking anyone: no network
// look-up, no geolocation database. Loopback, private, link-local and unique-local addresses
// are "the local network"; any other address is shown masked (the last IPv4 octet, or all but
// the first three IPv6 groups, hidden): enough for a citizen to tell "not my usual provider",
// not enough to expose the full address of a shared account's other users.

export type Place =
  | { kind: 'local_network' }
  | { kind: 'masked'; address: string }
  | { kind: 'unknown' };

function ipv4Octets(address: string): number[] | null {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : null;
}

function isLocalIpv4([a, b]: number[]): boolean {
  return a === 10 || a === 127 || a === 0 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)
    || (a === 169 && b === 254) || (a === 100 && b! >= 64 && b! <= 127); // CGNAT shared space
}

/** The groups of an IPv6 address, `::` expanded; null when it is not one. */
function ipv6Groups(text: string): string[] | null {
  // A dotted IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) stands for the last two groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  const octets = dotted ? ipv4Octets(dotted[2]!) : null;
  if (dotted && !octets) return null;
  const address = dotted && octets
    ? `${dotted[1]}${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}` : text;
  if (!/^[0-9a-f:]+$/i.test(address) || address.split('::').length > 2) return null;
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  return groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group)) ? groups.map((group) => group.toLowerCase()) : null;
}

export function approximatePlace(address: string | null | undefined): Place {
  const raw = (address ?? '').trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(raw)?.[1];
  const v4 = ipv4Octets(mapped ?? raw);
  if (v4) return isLocalIpv4(v4) ? { kind: 'local_network' } : { kind: 'masked', address: `${v4[0]}.${v4[1]}.${v4[2]}.x` };
  const v6 = ipv6Groups(raw);
  if (!v6) return { kind: 'unknown' };
  const first = parseInt(v6[0]!, 16);
  const loopbackOrUnspecified = v6.slice(0, 7).every((group) => group === '0');
  const uniqueLocal = (first & 0xfe00) === 0xfc00;
  const linkLocal = (first & 0xffc0) === 0xfe80;
  if (loopbackOrUnspecified || uniqueLocal || linkLocal) return { kind: 'local_network' };
  return { kind: 'masked', address: `${v6.slice(0, 3).join(':')}:…` };
}
