import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDiagramDrawsTable } from '../../../test/helpers/state-diagram.ts';
import { canMove, loginFlowStates, statesMovingTo, transitions } from './login-flow.state.ts';

test('the login-flow diagram draws exactly the transitions table', () => assertDiagramDrawsTable(new URL('./login-flow.state.mmd', import.meta.url), loginFlowStates, transitions));

test('done is final and reachable from every state; the guards come from the table', () => {
  assert.deepEqual(transitions.done, []);
  assert.ok(canMove('choosing_method', 'done') && canMove('awaiting_actions', 'done') && canMove('awaiting_assertion', 'done'));
  assert.ok(!canMove('done', 'awaiting_actions') && !canMove('awaiting_actions', 'choosing_method'));
  assert.deepEqual(statesMovingTo('done'), ['choosing_method', 'awaiting_assertion', 'awaiting_actions']);
  assert.deepEqual(statesMovingTo('awaiting_actions'), ['choosing_method', 'awaiting_assertion']);
  // Only an IdP's answer without an accepted identity goes back to choosing; nothing enters awaiting_assertion by a move.
  assert.deepEqual(statesMovingTo('choosing_method'), ['awaiting_assertion']);
  assert.deepEqual(statesMovingTo('awaiting_assertion'), []);
});
