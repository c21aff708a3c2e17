// PIN test helpers: citizens with all three contacts, PINs issued through the flow step (the
// way the desk and recovery issue them), halves read back from the development mailbox.
import assert from 'node:assert/strict';
import { checkCharacter } from '../../src/domain/codice-fiscale.ts';
import { issuePin } from '../../src/flows/pin/pin-issue.steps.ts';
import { findAccountByCodiceFiscale } from '../../src/store/accounts.repo.ts';
import { mailbox, registerCitizen, sessionCookieOf, type TestApp } from './app.ts';

export const temporaryPassword = 'Provvisoria-2026';

export interface PinCitizen {
  codiceFiscale: string;
  email: string;
  mobile: string;
  pec: string;
}

/** A valid codice fiscale per index, so that each test can have its own citizen. */
export function codiceFiscaleFor(index: number): string {
  const letters = 'BCDFGHJKLMNPQRSTVWXZ';
  const first15 = `PN${letters[index % 20]}${letters[Math.floor(index / 20) % 20]}NN80A01H501`;
  return first15 + checkCharacter(first15);
}

export async function registerPinCitizen(t: TestApp, index: number): Promise<PinCitizen> {
  const citizen = {
    codiceFiscale: codiceFiscaleFor(index),
    email: `cittadino${index}@example.it`,
    mobile: `+3933300${String(index).padStart(5, '0')}`,
    pec: `cittadino${index}@pec.example.it`,
  };
  const created = await registerCitizen(t.app, { ...citizen, temporaryPassword });
  assert.equal(created.statusCode, 201, created.body);
  return citizen;
}

export async function issueBySteps(t: TestApp, codiceFiscale: string, deps = t.deps): Promise<void> {
  const account = await findAccountByCodiceFiscale(t.deps.db, codiceFiscale);
  assert.ok(account, 'the account exists');
  await issuePin(deps, account, { ip: '127.0.0.1', userAgent: 'test' }, 'operator:test');
}

/** The half that stands on its own line after a colon (shared/API.md "Development mailbox"). */
export const halfIn = (text = ''): string | undefined => /:\n(\S+)\n/.exec(text)?.[1];

/** The latest PIN sent to the citizen: first half from the SMS, second from the email. */
export async function issuedPin(t: TestApp, citizen: Pick<PinCitizen, 'email' | 'mobile'>): Promise<string> {
  const first = (await mailbox(t.app, citizen.mobile)).filter((m) => m.kind === 'pin_first_half').at(-1);
  const second = (await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'pin_second_half').at(-1);
  const pin = `${halfIn(first?.text)}${halfIn(second?.text)}`;
  assert.match(pin, /^[A-HJ-NP-Za-km-np-z2-9]{16}$/, 'two halves of 8 readable characters');
  return pin;
}

export async function countOf(t: TestApp, to: string, kind: string): Promise<number> {
  return (await mailbox(t.app, to)).filter((m) => m.kind === kind).length;
}

export function signInWithPin(t: TestApp, codiceFiscale: string, pin: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale, pin } });
}

/** Sign in with the initial PIN and complete the first access; returns the 8-character PIN. */
export async function completeFirstAccess(t: TestApp, citizen: PinCitizen, initialPin: string): Promise<string> {
  const cookie = sessionCookieOf(await signInWithPin(t, citizen.codiceFiscale, initialPin));
  const proposal = await t.app.inject({ method: 'POST', url: '/api/v1/me/pin/change', headers: { cookie } });
  assert.equal(proposal.statusCode, 200, proposal.body);
  const { changeId, proposedPin } = proposal.json() as { changeId: string; proposedPin: string };
  const done = await t.app.inject({ method: 'POST', url: `/api/v1/me/pin/change/${changeId}`, headers: { cookie },
    payload: { oldPin: initialPin, newPin: proposedPin } });
  assert.equal(done.statusCode, 204, done.body);
  return proposedPin;
}

/** A citizen whose first access is done: returns the active 8-character PIN. */
export async function citizenWithActivePin(t: TestApp, citizen: PinCitizen): Promise<string> {
  await issueBySteps(t, citizen.codiceFiscale);
  return completeFirstAccess(t, citizen, await issuedPin(t, citizen));
}
