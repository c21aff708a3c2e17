import assert from 'node:assert/strict';
import { test } from 'node:test';
import { federatedRecoveryAllowed } from './federated-recovery.ts';

const at = new Date('2026-11-24T09:00:00Z');
const after = (seconds: number) => new Date(at.getTime() + seconds * 1000);

test('SPID level 2 or 3 and CIE, within ten minutes, stand in for the current password', () => {
  for (const acr of ['https://www.spid.gov.it/SpidL2', 'https://www.spid.gov.it/SpidL3']) {
    assert.equal(federatedRecoveryAllowed({ method: 'spid', acr, createdAt: at }, after(600)), true);
    assert.equal(federatedRecoveryAllowed({ method: 'spid', acr, createdAt: at }, after(601)), false);
  }
  assert.equal(federatedRecoveryAllowed({ method: 'cie', acr: 'urn:varco:acr:cie', createdAt: at }, after(60)), true);
});

test('SpidL1, password or PIN sessions never do', () => {
  assert.equal(federatedRecoveryAllowed({ method: 'spid', acr: 'https://www.spid.gov.it/SpidL1', createdAt: at }, after(1)), false);
  assert.equal(federatedRecoveryAllowed({ method: 'spid', acr: null, createdAt: at }, after(1)), false);
  assert.equal(federatedRecoveryAllowed({ method: 'password', acr: 'https://www.spid.gov.it/SpidL2', createdAt: at }, after(1)), false);
  assert.equal(federatedRecoveryAllowed({ method: 'pin', acr: null, createdAt: at }, after(1)), false);
  assert.equal(federatedRecoveryAllowed({ method: 'cie', acr: null, createdAt: at }, after(1)), false);
});
