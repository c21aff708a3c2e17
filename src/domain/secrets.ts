// S4, S5, S10 of SECURITY.md: link tokens of 256 bits, numeric codes from a CSPRNG,
// high-entropy secrets stored as SHA-256, comparisons in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Random } from './clock.ts';

const tokenBytes = 32; // 256 bits, above the 128 required

export function newToken(random: Random): string {
  return random.bytes(tokenBytes).toString('base64url');
}

/** A code of `digits` decimal digits, leading zeros kept. */
export function newNumericCode(random: Random, digits: number): string {
  let code = '';
  for (let i = 0; i < digits; i++) code += String(random.int(0, 10));
  return code;
}

/** For ≥128-bit tokens a fast hash is enough: guessing the preimage is infeasible. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}

/** Readable alphabet without look-alikes (no 0/O/o, 1/I/l): 56 symbols, ≈ 5.8 bits each. */
export const readableAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

export function newReadableSecret(random: Random, length: number): string {
  let secret = '';
  for (let i = 0; i < length; i++) secret += readableAlphabet[random.int(0, readableAlphabet.length)];
  return secret;
}
