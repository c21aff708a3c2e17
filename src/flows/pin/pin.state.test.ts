import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { changeStatesMovingTo, pinStates, pinStatesMovingTo, pinTransitions } from './pin.state.ts';

test('the state diagram draws exactly the transitions table', () => {
  const diagram = readFileSync(new URL('./pin.state.mmd', import.meta.url), 'utf8');
  const drawn = [...diagram.matchAll(/^\s*(\w+) --> (\w+):/gm)].map((m) => `${m[1]} → ${m[2]}`).sort();
  const table = pinStates.flatMap((from) => pinTransitions[from].map((to) => `${from} → ${to}`)).sort();
  assert.deepEqual(drawn, table);
});

test('the SQL guards of pin.repo.ts are the tables read backwards', () => {
  assert.deepEqual(pinStatesMovingTo('active'), ['initial', 'active'], 'a revoked PIN is never made active by a late confirmation');
  assert.deepEqual(pinStatesMovingTo('revoked'), ['initial', 'active']);
  assert.deepEqual(changeStatesMovingTo('completed'), ['awaiting_confirmation']);
  assert.deepEqual(changeStatesMovingTo('dead'), ['awaiting_confirmation']);
});
