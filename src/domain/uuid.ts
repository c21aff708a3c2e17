// Row ids drawn from the injected randomness (domain/clock.ts Random), for rows whose id must be
// known before the insert: a one-time secret binds its id into the code's HMAC, an enrolment
// job names its upload file after it. Tests replay them with a seeded Random.
import type { Random } from './clock.ts';

/** A version-4 UUID (RFC 9562) from 16 random bytes. */
export function uuidFrom(random: Random): string {
  const bytes = random.bytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
