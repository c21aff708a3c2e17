import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDiagramDrawsTable } from '../../../test/helpers/state-diagram.ts';
import { changeStatesMovingTo, pinStates, pinStatesMovingTo, pinTransitions } from './pin.state.ts';

test('the state diagram draws exactly the transitions table', () => assertDiagramDrawsTable(new URL('./pin.state.mmd', import.meta.url), pinStates, pinTransitions));

test('the SQL guards of pin.repo.ts are the tables read backwards', () => {
  assert.deepEqual(pinStatesMovingTo('active'), ['initial', 'active'], 'a revoked PIN is never made active by a late confirmation');
  assert.deepEqual(pinStatesMovingTo('revoked'), ['initial', 'active']);
  assert.deepEqual(changeStatesMovingTo('completed'), ['awaiting_confirmation']);
  assert.deepEqual(changeStatesMovingTo('dead'), ['awaiting_confirmation']);
});
