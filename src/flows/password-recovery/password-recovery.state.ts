// States of a recovery flow and the moves between them. A step may only move a flow along
// this table; `dead` is final (expired, too many wrong codes, voided by a newer request or
// by a completed reset).
export const recoveryStates = ['awaiting_link', 'awaiting_code', 'code_verified', 'completed', 'dead'] as const;
export type RecoveryState = (typeof recoveryStates)[number];

export const transitions = {
  awaiting_link: ['completed', 'dead'],
  awaiting_code: ['code_verified', 'dead'],
  code_verified: ['completed', 'dead'],
  completed: [],
  dead: [],
} as const satisfies Record<RecoveryState, readonly RecoveryState[]>;

/** States whose token or code may still be used; a newer request kills them (S9). */
export const openStates: readonly RecoveryState[] = ['awaiting_link', 'awaiting_code', 'code_verified'];

export function canMove(from: RecoveryState, to: RecoveryState): boolean {
  return (transitions[from] as readonly RecoveryState[]).includes(to);
}

export const linkTtlSeconds = 30 * 60; // 30 minutes (S7)
export const codeTtlSeconds = 10 * 60; // 10 minutes (S7)
export const verifiedTokenTtlSeconds = 10 * 60; // time to choose the password after a right code
export const maxCodeAttempts = 5; // S8
