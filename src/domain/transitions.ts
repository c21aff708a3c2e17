// A flow's states move only along its transitions table. The same table gives the code its
// guards: `statesMovingTo(to)` is the precondition a repo passes to its guarded UPDATE, so
// the SQL cannot allow a move the table (and its committed diagram) does not draw.
export interface TransitionTable<S extends string> {
  canMove(from: S, to: S): boolean;
  /** Every state from which `to` may be reached in one move. */
  statesMovingTo(to: S): S[];
}

export function transitionTable<S extends string>(states: readonly S[], transitions: Record<S, readonly S[]>): TransitionTable<S> {
  const canMove = (from: S, to: S) => transitions[from].includes(to);
  return { canMove, statesMovingTo: (to) => states.filter((from) => canMove(from, to)) };
}
