// SQL for login flows. Moves are guarded by the states the transitions table allows, passed
// in by the caller, so a flow can never be moved along an edge the table does not draw.
import type { Queryable } from '../../store/db.ts';
import type { LoginFlowState } from './login-flow.state.ts';

export interface LoginFlowRow {
  id: string;
  state: LoginFlowState;
  expires_at: Date;
  return_to: string | null;
  requested_acr: string | null;
  method: string | null;
  account_id: string | null;
  oidc_interaction_id: string | null;
  saml_request_id: string | null;
}

export interface NewLoginFlow {
  state: LoginFlowState;
  expiresAt: Date;
  returnTo: string | null;
  requestedAcr: string | null;
  oidcInteractionId: string | null;
  samlRequestId: string | null;
  /** Set when the flow is recorded after a strategy already accepted someone (an API sign-in). */
  method?: string;
  accountId?: string;
}

export async function insertLoginFlow(db: Queryable, flow: NewLoginFlow, now: Date): Promise<LoginFlowRow> {
  const result = await db.query<LoginFlowRow>(
    `INSERT INTO login_flows (state, expires_at, return_to, requested_acr, oidc_interaction_id, saml_request_id, method, account_id,
       created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *`,
    [flow.state, flow.expiresAt, flow.returnTo, flow.requestedAcr, flow.oidcInteractionId, flow.samlRequestId, flow.method ?? null,
      flow.accountId ?? null, now],
  );
  const row = result.rows[0];
  if (!row) throw new Error('login flow not inserted');
  return row;
}

export async function findLoginFlow(db: Queryable, id: string): Promise<LoginFlowRow | null> {
  const result = await db.query<LoginFlowRow>('SELECT * FROM login_flows WHERE id = $1', [id]);
  return result.rows[0] ?? null;
}

/** Moves a live flow to `to` from one of `from`, recording who signed in and how; null when it could not move. */
export async function moveLoginFlow(
  db: Queryable,
  id: string,
  move: { from: LoginFlowState[]; to: LoginFlowState; method?: string; accountId?: string },
  now: Date,
): Promise<LoginFlowRow | null> {
  const result = await db.query<LoginFlowRow>(
    `UPDATE login_flows SET state = $2, method = COALESCE($3, method), account_id = COALESCE($4, account_id), updated_at = $5
     WHERE id = $1 AND state = ANY($6::text[]) AND expires_at > $5 RETURNING *`,
    [id, move.to, move.method ?? null, move.accountId ?? null, now, move.from],
  );
  return result.rows[0] ?? null;
}

/** Housekeeping: flows are only useful while they live; a day later they go. */
export async function deleteLoginFlowsExpiredBefore(db: Queryable, before: Date): Promise<number> {
  const result = await db.query('DELETE FROM login_flows WHERE expires_at < $1', [before]);
  return result.rowCount;
}
