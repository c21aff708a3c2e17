// What a successful sign-in writes, as ONE statement (issue 14: every round trip to the
// database costs the event loop and the database about as much CPU as a tenth of the hash,
// and a sign-in may spend little beyond the hash). Data-modifying CTEs all see the state of
// before the statement and commit together, so the guard cleared, the flow moved (or
// recorded), the audit event, the session and the device are one atomic write — alone when
// the sign-in sends nothing, or inside the caller's transaction when it sends a notice.
import type { GuardState } from '../../domain/lockout.ts';
import type { Queryable } from '../../store/db.ts';
import { writeGuardSql } from '../../store/sign-in-guards.repo.ts';
import type { AuditEvent } from '../../store/audit.repo.ts';
import type { NewSession } from '../../store/sessions.repo.ts';
import type { LoginFlowState } from './login-flow.state.ts';

export interface SignInRecord {
  now: Date;
  /** The codice fiscale whose sign-in guard goes back to `state` (a local strategy's success). */
  guard: { subject: string; state: GuardState } | null;
  /** The flow to move from one of `from` to `to`; when it cannot move, one is recorded afresh unless `mustMove`. */
  flow: { id: string | null; from: LoginFlowState[]; to: LoginFlowState; mustMove: boolean; expiresAt: Date };
  /** The sign-in's audit event (its account, address and browser are the session's). */
  audit: Pick<AuditEvent, 'type' | 'actor' | 'outcome' | 'details'>;
  session: Omit<NewSession, 'loginFlowId'> & { deviceHash: string };
}

export interface RecordedSignIn {
  /** Null when the flow had to move and could not: nothing was written. */
  flow: { id: string; returnTo: string | null } | null;
  device: { isNew: boolean; knewOthers: boolean };
}

export async function recordSignIn(db: Queryable, record: SignInRecord): Promise<RecordedSignIn> {
  const { now, guard, flow, audit, session } = record;
  const result = await db.query<{ flow_id: string | null; return_to: string | null; device_is_new: boolean | null; knew_others: boolean }>(
    `WITH cleared AS (
       ${writeGuardSql({ subject: '$5', failures: '$2', lockedUntil: '$3', lockCount: '$4', now: '$1' })}
     ), moved AS (
       UPDATE login_flows SET state = $7, method = $9, account_id = $10, updated_at = $1
       WHERE id = $6 AND state = ANY($8::text[]) AND expires_at > $1 RETURNING id, return_to
     ), recorded AS (
       INSERT INTO login_flows (state, expires_at, return_to, requested_acr, oidc_interaction_id, saml_request_id, method, account_id, created_at, updated_at)
       SELECT $7, $11, NULL, NULL, NULL, NULL, $9, $10, $1, $1 WHERE NOT $12 AND NOT EXISTS (SELECT 1 FROM moved) RETURNING id, return_to
     ), flow AS (
       SELECT id, return_to FROM moved UNION ALL SELECT id, return_to FROM recorded
     ), audited AS (
       INSERT INTO audit_events (at, type, actor, account_id, ip, user_agent, outcome, details)
       SELECT $1, $13, $14, $10, $15, $16, $17, $18 FROM flow
     ), opened AS (
       INSERT INTO sessions (id_hash, account_id, auth_method, acr, provider, login_flow_id, created_at, last_seen_at, ip, user_agent, device_hash)
       SELECT $19, $10, $9, $20, $21, flow.id, $1, $1, $15, $16, $22 FROM flow
     ), device AS (
       INSERT INTO known_devices (account_id, device_hash, user_agent, first_seen_at, last_seen_at)
       SELECT $10, $22, $16, $1, $1 FROM flow
       ON CONFLICT (account_id, device_hash) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, user_agent = EXCLUDED.user_agent
       RETURNING (xmax = 0) AS is_new
     )
     SELECT (SELECT id FROM flow) AS flow_id, (SELECT return_to FROM flow) AS return_to, (SELECT is_new FROM device) AS device_is_new,
       EXISTS (SELECT 1 FROM known_devices WHERE account_id = $10 AND device_hash <> $22) AS knew_others`,
    [now, guard?.state.failures ?? 0, guard?.state.lockedUntil ?? null, guard?.state.lockCount ?? 0, guard?.subject ?? null,
      flow.id, flow.to, flow.from, session.authMethod, session.accountId, flow.expiresAt, flow.mustMove,
      audit.type, audit.actor, session.ip, session.userAgent.slice(0, 300), audit.outcome, JSON.stringify(audit.details ?? {}),
      session.idHash, session.acr, session.provider ?? null, session.deviceHash],
  );
  const row = result.rows[0];
  return {
    flow: row?.flow_id ? { id: row.flow_id, returnTo: row.return_to } : null,
    device: { isNew: row?.device_is_new ?? false, knewOthers: row?.knew_others ?? false },
  };
}
