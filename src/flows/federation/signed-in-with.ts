// How the current session signed in, as GET /api/v1/me shows it (API.md "Federation").
import { levelOf } from './sp-profile.ts';

export interface SignedInWith {
  method: string;
  level?: number;
  provider?: string;
}

export function signedInWith(session: { authMethod: string; acr: string | null; provider: string | null }): SignedInWith {
  const level = session.acr ? levelOf(session.acr) : null;
  return {
    method: session.authMethod,
    ...(level ? { level } : {}),
    ...(session.provider ? { provider: session.provider } : {}),
  };
}
