// The login_flows rows of SAML sign-ins. A request ID is answered once: the ACS claims the
// row with one guarded UPDATE, so a replayed Response finds nothing, on any instance.
import type { Queryable } from '../../store/db.ts';

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

export const pendingState = 'saml_pending';
export const answeredState = 'saml_answered';

export async function insertSamlFlow(
  db: Queryable,
  flow: { returnTo: string | null; requestedAcr: string; method: 'spid' | 'cie'; samlRequestId: string; idp: string; expiresAt: Date },
  now: Date,
): Promise<string> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO login_flows (state, expires_at, return_to, requested_acr, method, saml_request_id, saml_idp, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
    [pendingState, flow.expiresAt, flow.returnTo, flow.requestedAcr, flow.method, flow.samlRequestId, flow.idp, now],
  );
  return (result.rows[0] as { id: string }).id;
}

/** The pending, unexpired flow a Response says it answers (read only: nothing is claimed yet). */
export async function findPendingSamlFlow(db: Queryable, samlRequestId: string, now: Date): Promise<SamlFlowRow | null> {
  const result = await db.query<SamlFlowRow>(
    'SELECT * FROM login_flows WHERE saml_request_id = $1 AND state = $2 AND expires_at > $3',
    [samlRequestId, pendingState, now],
  );
  return result.rows[0] ?? null;
}

/** Single use: true for exactly one caller, however many instances race for the same ID. */
export async function claimSamlFlow(db: Queryable, flowId: string, accountId: string | null, now: Date): Promise<boolean> {
  const result = await db.query(
    `UPDATE login_flows SET state = $2, account_id = $3, updated_at = $4
     WHERE id = $1 AND state = $5 AND expires_at > $4`,
    [flowId, answeredState, accountId, now, pendingState],
  );
  return result.rowCount === 1;
}
