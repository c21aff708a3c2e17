import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { pinStates, pinTransitions } from './pin.state.ts';

test('the state diagram draws exactly the transitions table', () => {
  const diagram = readFileSync(new URL('./pin.state.mmd', import.meta.url), 'utf8');
  const drawn = [...diagram.matchAll(/^\s*(\w+) --> (\w+):/gm)].map((m) => `${m[1]} → ${m[2]}`).sort();
  const table = pinStates.flatMap((from) => pinTransitions[from].map((to) => `${from} → ${to}`)).sort();
  assert.deepEqual(drawn, table);
});
