// Time and randomness are injected wherever expiry or codes are decided, so tests move
// time instead of sleeping and can pin what "random" produced.
import { randomBytes, randomInt } from 'node:crypto';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Random {
  bytes(size: number): Buffer;
  /** Uniform integer in [min, max). */
  int(min: number, max: number): number;
}

export const cryptoRandom: Random = {
  bytes: (size) => randomBytes(size),
  int: (min, max) => randomInt(min, max),
};

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}
