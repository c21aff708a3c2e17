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

const minDistinctCharacters = 6;

/**
 * Why a configured secret is guessable although long enough, or undefined: too few distinct
 * characters ('a'.repeat(64)), a short block repeated ('0123456789abcdef' × 4), or mostly a
 * run of neighbouring characters ('abcdefgh…'). Thresholds are far from what a random hex,
 * base64 or decimal secret of 32 characters or more ever shows. The reason never quotes the
 * secret.
 */
export function weakSecretReason(secret: string): string | undefined {
  const characters = [...secret];
  if (new Set(characters).size < minDistinctCharacters) return `has fewer than ${minDistinctCharacters} distinct characters`;
  for (let period = 1; period <= characters.length / 2; period++) {
    if (characters.every((character, i) => i + period >= characters.length || character === characters[i + period])) {
      return `repeats a block of ${period} characters`;
    }
  }
  const steps = characters.slice(1).filter((character, i) => Math.abs(character.codePointAt(0)! - characters[i]!.codePointAt(0)!) <= 1).length;
  if (steps > (characters.length - 1) * 0.75) return 'is mostly a run of consecutive characters';
  return undefined;
}
