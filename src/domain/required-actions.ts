// Keycloak-style required actions: what a session must clear before anything else (S23).
// Derived from the account and how the session signed in, never stored on the session,
// so an action disappears the moment the account state resolves it.

export type RequiredAction = 'change_password' | 'change_pin' | 'verify_email' | 'set_security_question' | 'verify_mobile';
export type AuthMethod = 'password' | 'pin' | 'spid' | 'cie';

/**
 * The page that clears each action. A session with pending actions is sent to the first
 * one; when it is done the page sends the browser to /signin/continue, which resumes the
 * login flow (the next action, or where the flow came from).
 */
export const requiredActionPages: Record<RequiredAction, string> = {
  change_password: '/area/password',
  change_pin: '/area/pin/change',
  verify_email: '/area/email/verify',
  set_security_question: '/area/security-question',
  verify_mobile: '/area/mobile/verify',
};

export interface CredentialState {
  passwordChangedAt: Date | null;
  passwordTemporaryUntil: Date | null;
  pinState: 'none' | 'initial' | 'active' | 'revoked';
  pendingActions: readonly string[];
}

export interface ExpiryPolicy {
  passwordMaxAgeDays: number; // 0: passwords never expire
}

const dayMs = 24 * 60 * 60 * 1000;

export function passwordExpiresAt(state: CredentialState, policy: ExpiryPolicy): Date | null {
  if (state.passwordTemporaryUntil) return state.passwordTemporaryUntil;
  if (policy.passwordMaxAgeDays === 0 || !state.passwordChangedAt) return null;
  return new Date(state.passwordChangedAt.getTime() + policy.passwordMaxAgeDays * dayMs);
}

export function requiredActions(
  state: CredentialState,
  method: AuthMethod,
  now: Date,
  policy: ExpiryPolicy,
): RequiredAction[] {
  const actions: RequiredAction[] = [];
  if (method === 'password') {
    const expiresAt = passwordExpiresAt(state, policy);
    if (state.passwordTemporaryUntil || (expiresAt && expiresAt <= now)) actions.push('change_password');
  }
  if (method === 'pin' && state.pinState === 'initial') actions.push('change_pin');
  for (const pending of ['verify_email', 'set_security_question', 'verify_mobile'] as const) {
    if (state.pendingActions.includes(pending)) actions.push(pending);
  }
  return actions;
}
