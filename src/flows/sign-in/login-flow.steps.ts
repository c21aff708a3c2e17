// The login flow (ARCHITECTURE.md "Flows and strategies"): a sign-in that starts somewhere
// (the sign-in page with `next`, an OIDC authorization request, a SPID / CIE AuthnRequest, an
// API client), lets one strategy (password, PIN, SPID, CIE) accept a proof, runs the session's required actions, and then
// resumes where it started. S19 (a new session id at sign-in and when the required actions
// are cleared), S23 (nothing else while actions are pending), S27 (return_to is a Varco path).
import { expiryPolicy } from '../../config.ts';
import type { Acr } from '../../domain/assurance.ts';
import { addSeconds } from '../../domain/clock.ts';
import { deviceHashOf, deviceTokenFor } from '../../domain/device.ts';
import { afterSuccess } from '../../domain/lockout.ts';
import { requiredActionPages, requiredActions, type AuthMethod, type RequiredAction } from '../../domain/required-actions.ts';
import { safeReturnTo } from '../../domain/return-to.ts';
import { hashToken, newToken } from '../../domain/secrets.ts';
import { credentialState, findAccountById, type AccountRow } from '../../store/accounts.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { loginFlowTtlSeconds, statesMovingTo, type LoginFlowState } from './login-flow.state.ts';
import { deleteLoginFlowsExpiredBefore, findLoginFlow, insertLoginFlow, moveLoginFlow, type LoginFlowRow } from './login-flows.repo.ts';
import { deviceIsNews, noticeNewDevice } from '../notices/new-device.ts';
import { rotateSessionId } from './open-session.ts';
import { recordSignIn, type RecordedSignIn, type SignInRecord } from './sign-in-record.repo.ts';

export type { Acr } from '../../domain/assurance.ts';

const defaultDestination = '/area';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface LoginFlowStart {
  returnTo?: string | null;
  requestedAcr?: string | null;
  oidcInteractionId?: string | null;
  samlRequestId?: string | null;
}

export interface Authenticated {
  accountId: string;
  /** The account row when the strategy already has it (saves a read). */
  account?: AccountRow;
  method: AuthMethod;
  acr: Acr;
  provider?: string | null;
}

export interface FinishedLogin {
  sessionId: string;
  flowId: string;
  requiredActions: RequiredAction[];
  next: string;
}

/** Flow ids come from pages and clients: anything but a well-formed id is no flow at all. */
export function asFlowId(value: unknown): string | null {
  return typeof value === 'string' && uuidPattern.test(value) ? value : null;
}

export async function startLoginFlow(deps: Pick<FlowDeps, 'db' | 'clock'>, start: LoginFlowStart): Promise<{ id: string; expiresAt: Date }> {
  const now = deps.clock.now();
  const flow = await insertLoginFlow(deps.db, {
    state: 'choosing_method', expiresAt: addSeconds(now, loginFlowTtlSeconds), returnTo: safeReturnTo(start.returnTo),
    requestedAcr: start.requestedAcr ?? null, oidcInteractionId: start.oidcInteractionId ?? null, samlRequestId: start.samlRequestId ?? null,
  }, now);
  return { id: flow.id, expiresAt: flow.expires_at };
}

/** A flow that is still open, or null when it is unknown, finished or past its hour. */
export async function liveLoginFlow(deps: Pick<FlowDeps, 'db' | 'clock'>, flowId: unknown): Promise<LoginFlowRow | null> {
  const id = asFlowId(flowId);
  const flow = id ? await findLoginFlow(deps.db, id) : null;
  return flow && flow.state !== 'done' && flow.expires_at > deps.clock.now() ? flow : null;
}

function destination(actions: RequiredAction[], flow: Pick<LoginFlowRow, 'return_to'> | null, fallback?: string | null): string {
  const first = actions[0];
  if (first) return requiredActionPages[first];
  return flow?.return_to ?? safeReturnTo(fallback) ?? defaultDestination;
}

/** A strategy that answers one request (a SAML assertion) found its flow already moved on: a replay. */
export class LoginFlowAlreadyAnswered extends Error {}

export interface FinishOptions {
  /**
   * The flow must move out of this state, or nothing happens (nothing is written and
   * LoginFlowAlreadyAnswered is thrown): how SPID / CIE accept each request ID once.
   */
  answering?: LoginFlowState;
  /** A local strategy's sign-in guard, cleared in the same write. */
  clearGuardOf?: string;
  /**
   * Whether the browser is news to the account (notices/new-device.ts), when the strategy read
   * that with the account: a sign-in known to send nothing is one statement, no transaction.
   */
  deviceIsNews?: boolean;
}

/**
 * Opens the session of whoever a strategy accepted, in one write with the flow, the audit
 * event, the device and the strategy's guard (sign-in-record.repo.ts). A flow that expired or
 * never existed (an API sign-in) is recorded afresh, already past choosing a method: the
 * citizen still signs in, only the way back is lost — unless the strategy answers a request
 * (`answering`). A sign-in from a new browser sends its notice in the same transaction (S30).
 */
export async function finishLoginFlow(deps: FlowDeps, flowId: string | null, who: Authenticated, meta: RequestMeta, options: FinishOptions = {}): Promise<FinishedLogin> {
  const account = who.account ?? (await findAccountById(deps.db, who.accountId));
  if (!account) throw new Error('the accepted account vanished');
  const now = deps.clock.now();
  const actions = requiredActions(credentialState(account), who.method, now, expiryPolicy(deps.config));
  const to: LoginFlowState = actions.length > 0 ? 'awaiting_actions' : 'done';
  const sessionId = newToken(deps.random);
  const record: SignInRecord = {
    now,
    guard: options.clearGuardOf ? { subject: options.clearGuardOf, state: afterSuccess() } : null,
    flow: {
      id: asFlowId(flowId), to, mustMove: options.answering !== undefined, expiresAt: addSeconds(now, loginFlowTtlSeconds),
      from: options.answering ? statesMovingTo(to).filter((state) => state === options.answering) : statesMovingTo(to),
    },
    audit: {
      type: 'sign_in', actor: `citizen:${account.codice_fiscale}`, outcome: 'success',
      details: { method: who.method, acr: who.acr, ...(who.provider ? { provider: who.provider } : {}) },
    },
    session: {
      idHash: hashToken(sessionId), accountId: account.id, authMethod: who.method, acr: who.acr, provider: who.provider ?? null,
      ip: meta.ip, userAgent: meta.userAgent, deviceHash: meta.deviceHash ?? deviceHashOf(deviceTokenFor(sessionId)), // domain/device.ts
    },
  };
  const finished = (recorded: RecordedSignIn): FinishedLogin => {
    if (!recorded.flow) throw new LoginFlowAlreadyAnswered('the request this proof answers is no longer pending');
    return { sessionId, flowId: recorded.flow.id, requiredActions: actions, next: destination(actions, { return_to: recorded.flow.returnTo }, null) };
  };
  if (options.deviceIsNews === false) return finished(await recordSignIn(deps.db, record));
  return deps.db.transaction(async (tx) => {
    const recorded = await recordSignIn(tx, record);
    if (recorded.flow && deviceIsNews(recorded.device, account)) await noticeNewDevice(tx, deps, account, meta);
    return finished(recorded);
  });
}

export interface FlowSession {
  idHash: string;
  account: { id: string };
  authMethod: AuthMethod;
  loginFlowId: string | null;
}

/**
 * Called by a required action's page once the action is done: the next action, or, with
 * none left, the flow is done and the session gets a new id (S19: its privileges grew).
 */
export async function resumeLoginFlow(deps: FlowDeps, session: FlowSession, fallback?: string | null): Promise<{ next: string; sessionId: string | null }> {
  const account = await findAccountById(deps.db, session.account.id);
  if (!account) return { next: '/signin', sessionId: null };
  const now = deps.clock.now();
  const actions = requiredActions(credentialState(account), session.authMethod, now, expiryPolicy(deps.config));
  if (actions.length > 0) return { next: destination(actions, null), sessionId: null };
  return deps.db.transaction(async (tx) => {
    const flowId = asFlowId(session.loginFlowId);
    const flow = flowId ? await moveLoginFlow(tx, flowId, { from: statesMovingTo('done'), to: 'done' }, now) : null;
    const sessionId = await rotateSessionId(tx, deps, session.idHash);
    return { next: destination([], flow, fallback), sessionId };
  });
}

/** Read-only: where a session should be now (GET /signin/continue changes nothing). */
export async function loginFlowDestination(deps: FlowDeps, session: FlowSession & { requiredActions: RequiredAction[] }, fallback?: string | null): Promise<string> {
  if (session.requiredActions.length > 0) return destination(session.requiredActions, null);
  const flowId = asFlowId(session.loginFlowId);
  const flow = flowId ? await findLoginFlow(deps.db, flowId) : null;
  const live = flow && flow.expires_at > deps.clock.now() ? flow : null;
  return destination([], live, fallback);
}

const keptAfterExpirySeconds = 24 * 60 * 60; // a day, for support questions about a failed journey

/** Housekeeping: flows a day past their expiry are deleted. */
export async function pruneLoginFlows(deps: Pick<FlowDeps, 'db' | 'clock'>): Promise<number> {
  return deleteLoginFlowsExpiredBefore(deps.db, addSeconds(deps.clock.now(), -keptAfterExpirySeconds));
}
