// Changing the password of a signed-in citizen (S12, S13, S22, S30).
import { AppError } from '../../domain/errors.ts';
import { checkPasswordPolicy, normalisePassword, type PersonalData } from '../../domain/password-policy.ts';
import {
  findAccountById, recentPasswordHashes, rememberPassword, updatePassword, type AccountRow,
} from '../../store/accounts.repo.ts';
import type { Queryable } from '../../store/db.ts';
import { afterCredentialChange } from '../credentials/after-change.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { verifyWithLockout } from '../sign-in/verify-with-lockout.ts';
import type { AuthMethod } from '../../domain/required-actions.ts';
import { federatedRecoveryAllowed } from '../../domain/federated-recovery.ts';

export function personalDataOf(account: AccountRow): PersonalData {
  const birth = account.birth_date;
  return {
    codiceFiscale: account.codice_fiscale,
    firstName: account.first_name,
    lastName: account.last_name,
    ...(birth ? { birthDate: { year: birth.getUTCFullYear(), month: birth.getUTCMonth() + 1, day: birth.getUTCDate() } } : {}),
  };
}

/** Policy plus reuse of the last five passwords; throws weak_password naming every failed rule. */
export async function checkNewPassword(deps: FlowDeps, account: AccountRow, newPassword: string): Promise<string> {
  const normalised = normalisePassword(newPassword);
  const reasons: string[] = checkPasswordPolicy(normalised, deps.config.passwordPolicy, personalDataOf(account));
  const previous = [account.password_hash, ...(await recentPasswordHashes(deps.db, account.id))].filter(
    (hash): hash is string => hash !== null,
  );
  for (const hash of new Set(previous)) {
    if (await deps.hasher.verify(hash, normalised)) {
      reasons.push('reused');
      break;
    }
  }
  if (reasons.length > 0) throw new AppError('weak_password', { reasons });
  return normalised;
}

/** Stores a new definitive password; the after-change hook does what every change must (S9, S15, S22, S30, S31). */
export async function storeNewPassword(
  tx: Queryable,
  deps: FlowDeps,
  change: {
    account: AccountRow; passwordHash: string; keepSessionIdHash?: string; kind: 'password_change' | 'password_recovery' | 'spid_recovery'; actor: string;
    /** A change made with the current password: it stands only if that password is still the current one (a parallel change lost). */
    verifiedHash?: string | null;
  },
  meta: RequestMeta,
): Promise<void> {
  const now = deps.clock.now();
  const { account } = change;
  const stored = await updatePassword(tx, account.id, { passwordHash: change.passwordHash, temporaryUntil: null, replacing: change.verifiedHash }, now);
  if (!stored) throw new AppError('invalid_credentials');
  await rememberPassword(tx, account.id, change.passwordHash, now);
  await afterCredentialChange(tx, deps, { kind: change.kind, account, actor: change.actor, keepSessionIdHash: change.keepSessionIdHash }, meta);
}

export interface PasswordChangeInput {
  accountId: string;
  sessionIdHash: string;
  sessionMethod: AuthMethod;
  sessionCreatedAt: Date;
  sessionAcr?: string | null;
  currentPassword?: string;
  newPassword: string;
}

export async function changePassword(deps: FlowDeps, input: PasswordChangeInput, meta: RequestMeta): Promise<void> {
  const account = await findAccountById(deps.db, input.accountId);
  if (!account) throw new AppError('unauthenticated');
  // S13: a recent SPID (L2+) / CIE sign-in replaces the current password, and lifts the lock.
  const federatedProof = federatedRecoveryAllowed({ method: input.sessionMethod, acr: input.sessionAcr ?? null, createdAt: input.sessionCreatedAt }, deps.clock.now());
  if (input.currentPassword === undefined) {
    if (!federatedProof) throw new AppError('invalid_credentials');
  } else {
    await verifyWithLockout(
      deps,
      { codiceFiscale: account.codice_fiscale, account, storedHash: account.password_hash, secret: normalisePassword(input.currentPassword) },
      meta,
    );
  }
  const normalised = await checkNewPassword(deps, account, input.newPassword);
  const passwordHash = await deps.hasher.hash(normalised);
  await deps.db.transaction(async (tx) => {
    await storeNewPassword(tx, deps, {
      account, passwordHash, keepSessionIdHash: input.sessionIdHash,
      ...(input.currentPassword === undefined ? {} : { verifiedHash: account.password_hash }),
      // Without the current password the proof was a recent SPID/CIE sign-in: that is a
      // recovery, and the after-change rules of one apply (the lock is lifted).
      kind: federatedProof && input.currentPassword === undefined ? 'spid_recovery' : 'password_change',
      actor: `citizen:${account.codice_fiscale}`,
    }, meta);
  });
}
