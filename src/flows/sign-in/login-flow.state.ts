// States of a login flow and the moves between them (the diagram is login-flow.state.mmd; a
// test keeps the two equal). A flow is opened when a sign-in starts somewhere (the sign-in
// page with `next`, an OIDC authorization request, an API client), waits for one strategy to
// accept a secret or an assertion, then for the session's required actions, and is done when
// the browser is sent back where the flow came from. A SPID / CIE sign-in opens its own flow
// in awaiting_assertion when the AuthnRequest leaves: moving out of that state is how a
// request ID is answered once (a replayed Response finds the flow already moved).
export const loginFlowStates = ['choosing_method', 'awaiting_assertion', 'awaiting_actions', 'done'] as const;
export type LoginFlowState = (typeof loginFlowStates)[number];

export const transitions = {
  choosing_method: ['awaiting_actions', 'done'],
  awaiting_assertion: ['awaiting_actions', 'done', 'choosing_method'],
  awaiting_actions: ['done'],
  done: [],
} as const satisfies Record<LoginFlowState, readonly LoginFlowState[]>;

export function canMove(from: LoginFlowState, to: LoginFlowState): boolean {
  return (transitions[from] as readonly LoginFlowState[]).includes(to);
}

/** The states a guarded UPDATE may move from to reach `to`: read off the table, never restated. */
export function statesMovingTo(to: LoginFlowState): LoginFlowState[] {
  return loginFlowStates.filter((from) => canMove(from, to));
}

export const loginFlowTtlSeconds = 60 * 60; // 1 hour: the sign-in, any required action, the way back
