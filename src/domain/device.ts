// The device cookie behind new-device notices (S30): a 256-bit value a browser keeps for a
// year, stored only as its SHA-256. A browser that signs in without one is given the value
// derived from the new session id (SHA-256 of a labelled id), so the step that opens the
// session and the reply that sets the cookie agree on it without handing a secret around:
// the derived value tells nothing about the session id it came from.
import { hashToken } from './secrets.ts';

export const deviceCookieMaxAgeSeconds = 365 * 24 * 60 * 60;

export function deviceTokenFor(sessionId: string): string {
  return hashToken(`varco device\n${sessionId}`);
}

/** What is stored and compared: the device token's hash. */
export function deviceHashOf(deviceToken: string): string {
  return hashToken(deviceToken);
}
