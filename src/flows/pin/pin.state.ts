// The PIN of an account and the moves between its states; pin.state.mmd draws them and
// pin.state.test.ts keeps the drawing and the table the same.
export const pinStates = ['none', 'initial', 'active', 'revoked'] as const;
export type PinState = (typeof pinStates)[number];

export const pinTransitions = {
  none: ['initial'], // issued at the desk
  initial: ['initial', 'active', 'revoked'], // re-issued, first access, revoked
  active: ['initial', 'active', 'revoked'], // recovered, changed, revoked
  revoked: ['initial'], // issued again
} as const satisfies Record<PinState, readonly PinState[]>;

/** A PIN that can sign in; the others have no hash at all. */
export function isUsablePin(state: PinState): boolean {
  return state === 'initial' || state === 'active';
}

// A PIN change waits in 'awaiting_confirmation' and ends 'completed' or 'dead' (5 wrong codes,
// a newer proposal, a new PIN, a revocation); 005_pin.sql checks the three values.
export const changeTtlSeconds = 10 * 60; // proposal and its verification code: 10 minutes (S7)
export const maxCodeAttempts = 5; // S8: wrong verification codes per change, then it is dead
export const proposalsPerHour = 5; // proposals (each with a fresh code) per account per hour
