// SQL for the login flows of SPID / CIE sign-ins: the row opened when the AuthnRequest leaves
// (state awaiting_assertion), found again by the request ID a Response answers. Moving it out
// of awaiting_assertion (finishLoginFlow, or closeSamlFlow for an answer without an accepted
// identity) is one guarded UPDATE, so a request ID is answered once, on any instance.
import type { Queryable } from '../../store/db.ts';
import { moveLoginFlow } from '../sign-in/login-flows.repo.ts';

export interface SamlFlowRow {
  id: string;
  state: string;
  expires_at: Date;
  return_to: string | null;
  requested_acr: string | null;
  method: 'spid' | 'cie';
  saml_request_id: string;
  saml_idp: string;
  created_at: Date;
}

const waiting = 'awaiting_assertion';

export async function insertSamlFlow(
  db: Queryable,
  flow: { returnTo: string | null; requestedAcr: string; method: 'spid' | 'cie'; samlRequestId: string; idp: string; expiresAt: Date },
  now: Date,
): Promise<string> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO login_flows (state, expires_at, return_to, requested_acr, method, saml_request_id, saml_idp, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
    [waiting, flow.expiresAt, flow.returnTo, flow.requestedAcr, flow.method, flow.samlRequestId, flow.idp, now],
  );
  return (result.rows[0] as { id: string }).id;
}

/** The unexpired flow still waiting for the Response to this request ID (read only: nothing is claimed yet). */
export async function findPendingSamlFlow(db: Queryable, samlRequestId: string, now: Date): Promise<SamlFlowRow | null> {
  const result = await db.query<SamlFlowRow>(
    'SELECT * FROM login_flows WHERE saml_request_id = $1 AND state = $2 AND expires_at > $3',
    [samlRequestId, waiting, now],
  );
  return result.rows[0] ?? null;
}

/** The IdP answered without an identity we accept (a signed failure, no account): the request is spent, the citizen chooses again. */
export async function closeSamlFlow(db: Queryable, flowId: string, now: Date): Promise<boolean> {
  return (await moveLoginFlow(db, flowId, { from: [waiting], to: 'choosing_method' }, now)) !== null;
}
