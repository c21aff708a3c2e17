// First access and PIN change (shared/API.md "PIN"): the service proposes the new PIN; the
// user confirms with the old one, and outside first access with a code sent to both contacts.
import { addSeconds } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { newActivePin } from '../../domain/pin.ts';
import { newNumericCode } from '../../domain/secrets.ts';
import { findAccountById, type AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import { deleteAccountSessions } from '../../store/sessions.repo.ts';
import type { Queryable } from '../../store/db.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { verifyWithLockout } from '../sign-in/verify-with-lockout.ts';

export const changeTtlSeconds = 10 * 60; // proposal and verification code: 10 minutes (S7)
export const maxCodeAttempts = 5; // S8

export interface PinSession {
  accountId: string;
  idHash: string;
  authMethod: string;
}

function isFirstAccess(account: AccountRow, session: PinSession): boolean {
  return account.pin_state === 'initial' && session.authMethod === 'pin';
}

export async function proposePinChange(deps: FlowDeps, session: PinSession): Promise<{ changeId: string; proposedPin: string }> {
  const account = await findAccountById(deps.db, session.accountId);
  if (!account || (account.pin_state !== 'initial' && account.pin_state !== 'active')) throw new AppError('conflict', {}, 'no PIN to change');
  const firstAccess = isFirstAccess(account, session);
  const proposedPin = newActivePin(deps.random);
  const code = newNumericCode(deps.random, 6);
  const [proposedHash, codeHash] = await Promise.all([deps.hasher.hash(proposedPin), firstAccess ? null : deps.hasher.hash(code)]);
  const changeId = await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await tx.query(`UPDATE pin_changes SET state = 'dead' WHERE account_id = $1 AND state = 'awaiting_confirmation'`, [account.id]);
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO pin_changes (account_id, session_id_hash, proposed_pin_hash, code_hash, state, expires_at, created_at)
       VALUES ($1, $2, $3, $4, 'awaiting_confirmation', $5, $6) RETURNING id`,
      [account.id, session.idHash, proposedHash, codeHash, addSeconds(now, changeTtlSeconds), now],
    );
    if (!firstAccess) await sendVerificationCode(tx, deps, account, code);
    return inserted.rows[0]!.id;
  });
  return { changeId, proposedPin };
}

async function sendVerificationCode(tx: Queryable, deps: FlowDeps, account: AccountRow, code: string) {
  const params = { code, validMinutes: String(changeTtlSeconds / 60) };
  if (account.email) await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'contact_verification_code', language: account.language, params });
  if (account.mobile) await deps.outbox.enqueue(tx, { channel: 'sms', to: account.mobile, kind: 'contact_verification_code', language: account.language, params });
}

interface ChangeRow { id: string; proposed_pin_hash: string; code_hash: string | null; attempts: number }

async function liveChange(deps: FlowDeps, accountId: string, changeId: string, countAttempt: boolean): Promise<ChangeRow> {
  const result = await deps.db.query<ChangeRow>(
    `UPDATE pin_changes SET attempts = attempts + $4 WHERE id = $1 AND account_id = $2 AND state = 'awaiting_confirmation'
       AND expires_at > $3 AND attempts < $5 RETURNING id, proposed_pin_hash, code_hash, attempts`,
    [changeId, accountId, deps.clock.now(), countAttempt ? 1 : 0, maxCodeAttempts],
  );
  const change = result.rows[0];
  if (!change) throw new AppError('flow_expired');
  return change;
}

export async function confirmPinChange(
  deps: FlowDeps,
  session: PinSession,
  input: { changeId: string; oldPin: string; newPin: string; verificationCode?: string },
  meta: RequestMeta,
): Promise<void> {
  const account = await findAccountById(deps.db, session.accountId);
  if (!account) throw new AppError('unauthenticated');
  const peek = await liveChange(deps, account.id, input.changeId, false);
  const change = peek.code_hash ? await liveChange(deps, account.id, input.changeId, true) : peek;
  if (change.code_hash && !(await deps.hasher.verify(change.code_hash, input.verificationCode ?? ''))) {
    const attemptsLeft = maxCodeAttempts - change.attempts;
    if (attemptsLeft === 0) await deps.db.query(`UPDATE pin_changes SET state = 'dead' WHERE id = $1`, [change.id]);
    throw new AppError('invalid_code', { attemptsLeft });
  }
  await verifyWithLockout(deps, { codiceFiscale: account.codice_fiscale, account, storedHash: account.pin_hash, secret: input.oldPin }, meta);
  if (!(await deps.hasher.verify(change.proposed_pin_hash, input.newPin))) {
    throw new AppError('invalid_request', { errors: [{ field: 'newPin', message: 'must be the proposed PIN' }] });
  }
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const done = await tx.query(`UPDATE pin_changes SET state = 'completed' WHERE id = $1 AND state = 'awaiting_confirmation'`, [change.id]);
    if (done.rowCount !== 1) throw new AppError('flow_expired');
    await tx.query(`UPDATE accounts SET pin_hash = $2, pin_state = 'active', updated_at = $3 WHERE id = $1`, [account.id, change.proposed_pin_hash, now]);
    await deleteAccountSessions(tx, account.id, session.idHash);
    await recordAudit(tx, now, { type: 'pin_changed', actor: `citizen:${account.codice_fiscale}`, accountId: account.id, ...meta, outcome: 'success' });
    if (account.email) {
      await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'credential_changed', language: account.language,
        params: { what: 'pin', at: now.toISOString(), ip: meta.ip } });
    }
  });
}
