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

// Single logout (SPID). Logout IDs and subjects live on the flow of the sign-in they end.

export interface SamlSubject {
  nameId: string;
  nameQualifier: string | null;
  sessionIndex: string | null;
}

/** The subject of the assertion being accepted; written only while the flow still waits for it. */
export async function recordSamlSubject(db: Queryable, flowId: string, subject: SamlSubject): Promise<void> {
  await db.query(
    'UPDATE login_flows SET saml_name_id = $2, saml_name_qualifier = $3, saml_session_index = $4 WHERE id = $1 AND state = $5',
    [flowId, subject.nameId, subject.nameQualifier, subject.sessionIndex, waiting],
  );
}

export interface SignedInSubject extends SamlSubject {
  flowId: string;
  idp: string;
}

export async function findSignedInSubject(db: Queryable, flowId: string): Promise<SignedInSubject | null> {
  const result = await db.query<{ id: string; saml_idp: string | null; saml_name_id: string | null; saml_name_qualifier: string | null; saml_session_index: string | null }>(
    "SELECT id, saml_idp, saml_name_id, saml_name_qualifier, saml_session_index FROM login_flows WHERE id = $1 AND method = 'spid'",
    [flowId],
  );
  const row = result.rows[0];
  if (!row?.saml_idp || !row.saml_name_id) return null;
  return { flowId: row.id, idp: row.saml_idp, nameId: row.saml_name_id, nameQualifier: row.saml_name_qualifier, sessionIndex: row.saml_session_index };
}

export async function markLogoutSent(db: Queryable, flowId: string, requestId: string, expiresAt: Date): Promise<void> {
  await db.query('UPDATE login_flows SET saml_logout_request_id = $2, saml_logout_expires_at = $3 WHERE id = $1', [flowId, requestId, expiresAt]);
}

/** The flow whose LogoutRequest this ID is, while it is unanswered and unexpired (read only). */
export async function findPendingLogout(db: Queryable, requestId: string, now: Date): Promise<{ flowId: string; idp: string } | null> {
  const result = await db.query<{ id: string; saml_idp: string }>(
    'SELECT id, saml_idp FROM login_flows WHERE saml_logout_request_id = $1 AND saml_logout_expires_at > $2',
    [requestId, now],
  );
  const row = result.rows[0];
  return row ? { flowId: row.id, idp: row.saml_idp } : null;
}

/** Single use: true for exactly one LogoutResponse to this request ID. */
export async function claimLogout(db: Queryable, requestId: string, now: Date): Promise<boolean> {
  const result = await db.query(
    'UPDATE login_flows SET saml_logout_request_id = NULL, saml_logout_expires_at = NULL WHERE saml_logout_request_id = $1 AND saml_logout_expires_at > $2',
    [requestId, now],
  );
  return result.rowCount === 1;
}

/** IdP-initiated logout: ends the sessions opened by this IdP's assertions about this subject; their accounts. */
export async function endSessionsOfSubject(db: Queryable, idp: string, nameId: string, sessionIndex: string | null): Promise<string[]> {
  const result = await db.query<{ account_id: string }>(
    `DELETE FROM sessions WHERE login_flow_id IN (
       SELECT id FROM login_flows WHERE saml_idp = $1 AND saml_name_id = $2 AND ($3::text IS NULL OR saml_session_index = $3::text)
     ) RETURNING account_id`,
    [idp, nameId, sessionIndex],
  );
  return [...new Set(result.rows.map((row) => row.account_id))];
}
