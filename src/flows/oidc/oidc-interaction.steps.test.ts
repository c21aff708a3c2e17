// What an interaction asks for next: sign-in whenever the Varco session is missing, has
// pending actions or is older than a prompt=login; otherwise the session's login, then consent.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CitizenSession } from '../../web/session.ts';
import { decide, type InteractionView } from './oidc-interaction.steps.ts';

const signedInAt = new Date('2026-11-24T09:00:00Z');

function citizen(overrides: Partial<CitizenSession> = {}): CitizenSession {
  return {
    idHash: 'h', account: { id: 'acc-1' } as CitizenSession['account'], authMethod: 'pin', acr: 'urn:varco:acr:pin', provider: null,
    createdAt: signedInAt, requiredActions: [], ...overrides,
  } as CitizenSession;
}

function view(prompt: string, reasons: string[] = [], extra: Partial<InteractionView> = {}): InteractionView {
  return { uid: 'u1', iat: signedInAt.getTime() / 1000 + 60, prompt: { name: prompt, reasons, details: {} }, params: {}, ...extra };
}

describe('interaction decisions', () => {
  test('no session, or pending required actions: the sign-in flow, back to the interaction', () => {
    assert.deepEqual(decide(view('login'), null), { kind: 'sign_in', next: '/oidc/interaction/u1' });
    assert.equal(decide(view('login'), citizen({ requiredActions: ['change_pin'] })).kind, 'sign_in');
    assert.equal(decide(view('consent'), citizen({ requiredActions: ['change_password'] })).kind, 'sign_in');
  });

  test('a live session logs in with its account, acr, amr and sign-in time', () => {
    const decision = decide(view('login', ['no_session']), citizen());
    assert.equal(decision.kind, 'login');
    assert.deepEqual(decision.kind === 'login' && decision.result.login,
      { accountId: 'acc-1', acr: 'urn:varco:acr:pin', amr: ['pin'], ts: signedInAt.getTime() / 1000, remember: true });
  });

  test('prompt=login wants a sign-in made after the request; a newer session is enough', () => {
    assert.equal(decide(view('login', ['login_prompt']), citizen()).kind, 'sign_in');
    const later = citizen({ createdAt: new Date(signedInAt.getTime() + 120_000) });
    assert.equal(decide(view('login', ['login_prompt']), later).kind, 'login');
  });

  test('consent only for the account the provider signed in', () => {
    const consent = view('consent', ['op_scopes_missing'], { session: { accountId: 'acc-1' } });
    consent.prompt.details = { missingOIDCScope: ['openid', 'profile'] };
    assert.deepEqual(decide(consent, citizen()), { kind: 'consent', scopes: ['openid', 'profile'] });
    assert.equal(decide({ ...consent, session: { accountId: 'someone-else' } }, citizen()).kind, 'sign_in');
  });
});
