// The PIN of an account and the moves between its states; pin.state.mmd draws them and
// pin.state.test.ts keeps the drawing and the table the same.
import { transitionTable } from '../../domain/transitions.ts';

export const pinStates = ['none', 'initial', 'active', 'revoked'] as const;
export type PinState = (typeof pinStates)[number];

export const pinTransitions = {
  none: ['initial'], // issued at the desk
  initial: ['initial', 'active', 'revoked'], // re-issued, first access, revoked
  active: ['initial', 'active', 'revoked'], // recovered, changed, revoked
  revoked: ['initial'], // issued again
} as const satisfies Record<PinState, readonly PinState[]>;

/** `pinStatesMovingTo` is the guard of storing a PIN in a state, read off the table (pin.repo.ts passes it to SQL). */
export const { canMove: canMovePin, statesMovingTo: pinStatesMovingTo } = transitionTable<PinState>(pinStates, pinTransitions);

/** A PIN that can sign in; the others have no hash at all. */
export function isUsablePin(state: PinState): boolean {
  return state === 'initial' || state === 'active';
}

// A PIN change waits in 'awaiting_confirmation' and ends 'completed' or 'dead' (5 wrong codes,
// a newer proposal, a new PIN, a revocation); 005_pin.sql checks the three values.
export const changeStates = ['awaiting_confirmation', 'completed', 'dead'] as const;
export type ChangeState = (typeof changeStates)[number];

export const changeTransitions = {
  awaiting_confirmation: ['completed', 'dead'],
  completed: [],
  dead: [],
} as const satisfies Record<ChangeState, readonly ChangeState[]>;

/** The guards of every move of a PIN change (pin.repo.ts). */
export const { canMove: canMoveChange, statesMovingTo: changeStatesMovingTo } = transitionTable<ChangeState>(changeStates, changeTransitions);

export const changeTtlSeconds = 10 * 60; // proposal and its verification code: 10 minutes (S7)
export const maxCodeAttempts = 5; // S8: wrong verification codes per change, then it is dead
export const proposalsPerHour = 5; // proposals (each with a fresh code) per account per hour
