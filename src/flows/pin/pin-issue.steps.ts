// Issuing and revoking PINs: S4 (16 characters over a look-alike-free alphabet, ≈ 93 bits),
// S5 (argon2id hash only, computed BEFORE the transaction: no slow hash under the audit chain
// lock), S34 (an operator issues but never sees the PIN: the halves go to the registered
// mobile and email in the issuing transaction). What follows every issue and revocation
// (S9, S15, S22, S30, S31) is the after-change hook's.
import { AppError } from '../../domain/errors.ts';
import { newInitialPin, splitPin } from '../../domain/pin.ts';
import type { OutgoingMessage } from '../../delivery/message.ts';
import type { AccountRow } from '../../store/accounts.repo.ts';
import type { Queryable } from '../../store/db.ts';
import { afterCredentialChange } from '../credentials/after-change.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { removePin, storePin } from './pin.repo.ts';

export interface PreparedPin {
  pin: string;
  hash: string;
}

/** The new PIN and its slow hash, made before any transaction opens. */
export async function preparePin(deps: Pick<FlowDeps, 'random' | 'hasher'>): Promise<PreparedPin> {
  const pin = newInitialPin(deps.random);
  return { pin, hash: await deps.hasher.hash(pin) };
}

function halvesOf(deps: Pick<FlowDeps, 'config'>, account: AccountRow & { mobile: string; email: string }, pin: string): OutgoingMessage[] {
  const { firstHalf, secondHalf } = splitPin(pin);
  return [
    { channel: 'sms', to: account.mobile, kind: 'pin_first_half', language: account.language, params: { half: firstHalf } },
    { channel: 'email', to: account.email, kind: 'pin_second_half', language: account.language,
      params: { half: secondHalf, signInUrl: `${deps.config.publicUrl}/signin?method=pin` } },
  ];
}

/**
 * Stores a prepared 16-character PIN (the old one dies) and sends it in two halves (SMS +
 * email). Caller owns the transaction; `kind` says whether the desk issued it or a recovery did.
 */
export async function storeIssuedPin(
  tx: Queryable, deps: FlowDeps, account: AccountRow, prepared: PreparedPin, change: { kind: 'pin_issue' | 'pin_recovery'; actor: string }, meta: RequestMeta,
): Promise<void> {
  const { mobile, email } = account;
  if (!mobile || !email) throw new AppError('conflict', {}, 'the account needs a registered mobile and email');
  if (!(await storePin(tx, account.id, { hash: prepared.hash, state: 'initial' }, deps.clock.now()))) throw new AppError('conflict');
  await afterCredentialChange(tx, deps, { kind: change.kind, account, actor: change.actor,
    messages: halvesOf(deps, { ...account, mobile, email }, prepared.pin) }, meta);
}

/** Issues a new PIN in its own transaction, the hash made first. */
export async function issuePin(deps: FlowDeps, account: AccountRow, meta: RequestMeta, actor: string): Promise<void> {
  const prepared = await preparePin(deps);
  await deps.db.transaction((tx) => storeIssuedPin(tx, deps, account, prepared, { kind: 'pin_issue', actor }, meta));
}

/**
 * Revokes the PIN: it never signs in again, and the sessions it may have opened end
 * (all of them, or all but the citizen's own when `keepSessionIdHash` is given).
 */
export async function revokePin(
  tx: Queryable, deps: FlowDeps, account: AccountRow, meta: RequestMeta, actor: string, keepSessionIdHash?: string,
): Promise<void> {
  await removePin(tx, account.id, deps.clock.now());
  await afterCredentialChange(tx, deps, { kind: 'pin_revocation', account, actor, ...(keepSessionIdHash ? { keepSessionIdHash } : {}) }, meta);
}
