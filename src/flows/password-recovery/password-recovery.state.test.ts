import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDiagramDrawsTable } from '../../../test/helpers/state-diagram.ts';
import fc from 'fast-check';
import { canMove, openStates, recoveryStates, statesMovingTo, transitions, type RecoveryState } from './password-recovery.state.ts';

test('the state diagram draws exactly the transitions table', () => assertDiagramDrawsTable(new URL('./password-recovery.state.mmd', import.meta.url), recoveryStates, transitions));

test('completed and dead are final; every open state can die (S9) and can complete', () => {
  assert.deepEqual([...transitions.completed, ...transitions.dead], []);
  for (const state of openStates) {
    assert.ok(canMove(state, 'dead'), `${state} can be voided`);
    const reachesCompleted = (from: string, seen = new Set<string>()): boolean =>
      from === 'completed' || (!seen.has(from) && transitions[from as keyof typeof transitions].some((to) => reachesCompleted(to, seen.add(from))));
    assert.ok(reachesCompleted(state), `${state} can lead to a reset`);
  }
});

test('no walk along the table leaves a final state or comes back to awaiting_link', () => {
  fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 12 }), (choices) => {
    let state: RecoveryState = 'awaiting_link';
    for (const choice of choices) {
      const next: readonly RecoveryState[] = transitions[state];
      if (next.length === 0) return;
      const to: RecoveryState = next[choice % next.length]!;
      assert.notEqual(to, 'awaiting_link');
      state = to;
    }
  }));
});

test('the SQL guards of recovery-flows.repo.ts are the table read backwards', () => {
  assert.deepEqual(statesMovingTo('completed'), ['awaiting_link', 'awaiting_code', 'code_verified']);
  assert.deepEqual(statesMovingTo('code_verified'), ['awaiting_code'], 'only a flow waiting for its code can be verified');
  assert.deepEqual(statesMovingTo('awaiting_code'), ['awaiting_link', 'awaiting_code']);
  assert.deepEqual([...openStates], statesMovingTo('dead'));
});
