// States of a recovery flow and the moves between them (the diagram is
// password-recovery.state.mmd; a test keeps the two equal). A step may only move a flow
// along this table; `completed` and `dead` are final. `dead` covers expiry, too many wrong
// codes, and flows voided by a newer request or by a completed reset (S7, S8, S9).
import { transitionTable } from '../../domain/transitions.ts';

export const recoveryStates = ['awaiting_link', 'awaiting_code', 'code_verified', 'completed', 'dead'] as const;
export type RecoveryState = (typeof recoveryStates)[number];

export const transitions = {
  // email link; with RECOVERY_SECOND_FACTOR=sms the opened link first asks for an SMS code
  awaiting_link: ['awaiting_code', 'completed', 'dead'],
  // SMS channel: a right code gives a token; second factor: a new code may replace the
  // previous one, and the link plus the right code complete the reset
  awaiting_code: ['awaiting_code', 'code_verified', 'completed', 'dead'],
  code_verified: ['completed', 'dead'],
  completed: [],
  dead: [],
} as const satisfies Record<RecoveryState, readonly RecoveryState[]>;

/** `statesMovingTo` is the precondition of a move, read off the table: every SQL guard of recovery-flows.repo.ts is one. */
export const { canMove, statesMovingTo } = transitionTable<RecoveryState>(recoveryStates, transitions);

/** States whose token or code may still be used; a newer request or a reset kills them (S9). */
export const openStates: readonly RecoveryState[] = statesMovingTo('dead');

export const linkTtlSeconds = 30 * 60; // 30 minutes (S7)
export const codeTtlSeconds = 10 * 60; // 10 minutes (S7), for the SMS channel and the second factor alike
export const verifiedTokenTtlSeconds = 10 * 60; // 10 minutes to choose the password after a right code
export const maxCodeAttempts = 5; // S8: per flow, never reset by a new code
export const secondFactorSendsPerFlow = 3; // SMS codes one opened link may ask for
