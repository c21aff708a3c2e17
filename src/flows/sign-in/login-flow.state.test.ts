import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { canMove, loginFlowStates, statesMovingTo, transitions } from './login-flow.state.ts';

test('the login-flow diagram draws exactly the transitions table', () => {
  const diagram = readFileSync(new URL('./login-flow.state.mmd', import.meta.url), 'utf8');
  const drawn = [...diagram.matchAll(/^\s*(\w+) --> (\w+):/gm)].map((m) => `${m[1]} → ${m[2]}`).sort();
  const table = loginFlowStates.flatMap((from) => transitions[from].map((to) => `${from} → ${to}`)).sort();
  assert.deepEqual(drawn, table);
});

test('done is final and reachable from every state; the guards come from the table', () => {
  assert.deepEqual(transitions.done, []);
  assert.ok(canMove('choosing_method', 'done') && canMove('awaiting_actions', 'done'));
  assert.ok(!canMove('done', 'awaiting_actions') && !canMove('awaiting_actions', 'choosing_method'));
  assert.deepEqual(statesMovingTo('done'), ['choosing_method', 'awaiting_actions']);
  assert.deepEqual(statesMovingTo('awaiting_actions'), ['choosing_method']);
  assert.deepEqual(statesMovingTo('choosing_method'), []);
});
