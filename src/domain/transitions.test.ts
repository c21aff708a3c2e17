import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transitionTable } from './transitions.ts';

test('canMove and the guards statesMovingTo gives are read off the table', () => {
  const table = transitionTable(['a', 'b', 'c'] as const, { a: ['b'], b: ['b', 'c'], c: [] });
  assert.deepEqual([table.canMove('a', 'b'), table.canMove('a', 'c'), table.canMove('c', 'a')], [true, false, false]);
  assert.deepEqual(table.statesMovingTo('b'), ['a', 'b']);
  assert.deepEqual(table.statesMovingTo('a'), []);
});
