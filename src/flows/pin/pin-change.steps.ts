// First access and PIN change (shared/API.md "PIN"): the service proposes the new PIN (S4),
// shown once; the citizen confirms it with the old PIN, which counts toward the lockout
// (S13, S15), and outside first access with a 6-digit code (a one-time secret) sent to the
// registered email and mobile: 10 minutes (S7), 5 wrong codes (S8), one completion (S6). On
// success the after-change hook ends the other sessions (S22), voids outstanding links and
// codes (S9), audits (S31) and tells the citizen (S30).
import { addSeconds } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { newActivePin } from '../../domain/pin.ts';
import type { AuthMethod } from '../../domain/required-actions.ts';
import { findAccountById, type AccountRow } from '../../store/accounts.repo.ts';
import type { Queryable } from '../../store/db.ts';
import { afterCredentialChange } from '../credentials/after-change.ts';
import { codeMatches, consumeSecret, countAttempt, issueSecret, voidFlowSecrets, type SecretRow } from '../credentials/one-time-secret.ts';
import type { FlowDeps } from '../deps.ts';
import { requireWithinLimit } from '../rate-limit.ts';
import type { RequestMeta } from '../request-meta.ts';
import { verifyWithLockout } from '../sign-in/verify-with-lockout.ts';
import { completeChange, findLiveChange, insertChange, killOpenChanges, markChangeDead, storePin, type PinChangeRow } from './pin.repo.ts';
import { changeTtlSeconds, isUsablePin, maxCodeAttempts, proposalsPerHour } from './pin.state.ts';

export interface PinSession {
  accountId: string;
  idHash: string;
  authMethod: AuthMethod;
}

export interface PinChangeConfirmation {
  changeId: string;
  oldPin: string;
  newPin: string;
  verificationCode?: string;
}

/** At first access the session opened with the 16-character PIN is itself the proof: no code. */
function isFirstAccess(account: AccountRow, session: PinSession): boolean {
  return account.pin_state === 'initial' && session.authMethod === 'pin';
}

async function limitProposals(deps: FlowDeps, accountId: string): Promise<void> {
  // Each proposal sends a fresh code: bounded, so that 5 attempts per code stay a small budget (S8).
  await requireWithinLimit(deps, `pin-change:account:${accountId}`, proposalsPerHour, 3600);
}

export async function proposePinChange(deps: FlowDeps, session: PinSession): Promise<{ changeId: string; proposedPin: string }> {
  const account = await findAccountById(deps.db, session.accountId);
  if (!account) throw new AppError('unauthenticated');
  if (!isUsablePin(account.pin_state)) throw new AppError('conflict', {}, 'there is no PIN to change');
  await limitProposals(deps, account.id);
  const proposedPin = newActivePin(deps.random);
  const needsCode = !isFirstAccess(account, session);
  const proposedPinHash = await deps.hasher.hash(proposedPin);
  const changeId = await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await killOpenChanges(tx, account.id); // only the latest proposal can be confirmed (S9)
    const id = await insertChange(tx, { accountId: account.id, sessionIdHash: session.idHash, proposedPinHash, needsCode,
      expiresAt: addSeconds(now, changeTtlSeconds) }, now);
    if (needsCode) {
      const code = await issueSecret(tx, deps, { purpose: 'pin_change_code', accountId: account.id, flowId: id, ttlSeconds: changeTtlSeconds,
        maxAttempts: maxCodeAttempts });
      await sendVerificationCode(tx, deps, account, code.secret);
    }
    return id;
  });
  return { changeId, proposedPin };
}

/** The same code to both registered contacts: either one proves the citizen is there. */
async function sendVerificationCode(tx: Queryable, deps: FlowDeps, account: AccountRow, code: string): Promise<void> {
  const params = { code, validMinutes: String(changeTtlSeconds / 60) };
  const { language } = account;
  if (account.email) await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'contact_verification_code', language, params });
  if (account.mobile) await deps.outbox.enqueue(tx, { channel: 'sms', to: account.mobile, kind: 'contact_verification_code', language, params });
}

/** Counts one attempt, then checks the code; throws invalid_code with the attempts left; the fifth wrong code kills the change. */
async function checkVerificationCode(deps: FlowDeps, change: PinChangeRow, code: string | undefined): Promise<SecretRow | null> {
  if (!change.needs_code) return null;
  const counted = await countAttempt(deps.db, { purpose: 'pin_change_code', flowId: change.id }, deps.clock.now());
  if (!counted) throw new AppError('flow_expired');
  if (code !== undefined && codeMatches(deps, counted, code)) return counted;
  const attemptsLeft = Math.max(0, maxCodeAttempts - counted.attempts);
  if (attemptsLeft === 0) {
    await deps.db.transaction(async (tx) => {
      await markChangeDead(tx, change.id);
      await voidFlowSecrets(tx, change.id, deps.clock.now());
    });
  }
  throw new AppError('invalid_code', { attemptsLeft });
}

export async function confirmPinChange(deps: FlowDeps, session: PinSession, input: PinChangeConfirmation, meta: RequestMeta): Promise<void> {
  const account = await findAccountById(deps.db, session.accountId);
  if (!account) throw new AppError('unauthenticated');
  // Only the session's own account finds the change; unknown, expired, used → flow_expired.
  const change = await findLiveChange(deps.db, { id: input.changeId, accountId: account.id }, deps.clock.now());
  if (!change) throw new AppError('flow_expired');
  const code = await checkVerificationCode(deps, change, input.verificationCode);
  await verifyWithLockout(deps, { codiceFiscale: account.codice_fiscale, account, storedHash: account.pin_hash, secret: input.oldPin }, meta);
  if (!(await deps.hasher.verify(change.proposed_pin_hash, input.newPin))) {
    throw new AppError('invalid_request', { errors: [{ field: 'newPin', message: 'must be the proposed PIN' }] });
  }
  await deps.db.transaction((tx) => storeChangedPin(tx, deps, { account, change, code, keepSessionIdHash: session.idHash }, meta));
}

async function storeChangedPin(
  tx: Queryable, deps: FlowDeps, done: { account: AccountRow; change: PinChangeRow; code: SecretRow | null; keepSessionIdHash: string }, meta: RequestMeta,
): Promise<void> {
  const now = deps.clock.now();
  const { account } = done;
  if (!(await completeChange(tx, done.change.id, now))) throw new AppError('flow_expired'); // a parallel confirmation won (S6)
  if (done.code && !(await consumeSecret(tx, done.code.id, now))) throw new AppError('flow_expired');
  if (!(await storePin(tx, account.id, { hash: done.change.proposed_pin_hash, state: 'active' }, now))) throw new AppError('flow_expired');
  await afterCredentialChange(tx, deps, { kind: done.change.needs_code ? 'pin_change' : 'pin_first_access', account,
    actor: `citizen:${account.codice_fiscale}`, keepSessionIdHash: done.keepSessionIdHash }, meta);
}
