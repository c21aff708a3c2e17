// PINs are issued by the service, never chosen (S4): 16 characters at issue and recovery,
// 8 after first access, over the readable alphabet (no 0/O/o, 1/I/l).
import type { Random } from './clock.ts';
import { newReadableSecret, readableAlphabet } from './secrets.ts';

export const initialPinLength = 16; // ≈ 93 bits
export const activePinLength = 8;

export function newInitialPin(random: Random): string {
  return newReadableSecret(random, initialPinLength);
}

export function newActivePin(random: Random): string {
  return newReadableSecret(random, activePinLength);
}

/** The first half travels by SMS, the second by email, so neither channel alone has the PIN. */
export function splitPin(pin: string): { firstHalf: string; secondHalf: string } {
  const middle = pin.length / 2;
  return { firstHalf: pin.slice(0, middle), secondHalf: pin.slice(middle) };
}

export function isReadablePin(pin: string): boolean {
  return [...pin].every((char) => readableAlphabet.includes(char));
}
