// Changing the password of a signed-in citizen (S12, S13, S22, S30).
import { AppError } from '../../domain/errors.ts';
import { checkPasswordPolicy, normalisePassword, type PersonalData } from '../../domain/password-policy.ts';
import {
  findAccountById, recentPasswordHashes, rememberPassword, updatePassword, type AccountRow,
} from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import { deleteAccountSessions } from '../../store/sessions.repo.ts';
import type { Queryable } from '../../store/db.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { killOpenFlows } from '../password-recovery/recovery-flows.repo.ts';
import { voidRecoveryCodes } from '../pin/pin.repo.ts';
import { verifyWithLockout } from '../sign-in/verify-with-lockout.ts';
import type { AuthMethod } from '../../domain/required-actions.ts';
import { federatedRecoveryAllowed } from '../../domain/federated-recovery.ts';
import { clearSignInGuard } from '../../store/sign-in-guards.repo.ts';

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

/** Stores a new definitive password and does what every password change must (S9, S22, S30). */
export async function storeNewPassword(
  tx: Queryable,
  deps: FlowDeps,
  change: { account: AccountRow; passwordHash: string; keepSessionIdHash?: string; event: string; actor: string },
  meta: RequestMeta,
): Promise<void> {
  const now = deps.clock.now();
  const { account } = change;
  await updatePassword(tx, account.id, { passwordHash: change.passwordHash, temporaryUntil: null }, now);
  await rememberPassword(tx, account.id, change.passwordHash, now);
  await deleteAccountSessions(tx, account.id, change.keepSessionIdHash);
  // S9: a new password voids every outstanding recovery link or code of the account.
  await killOpenFlows(tx, account.id);
  await voidRecoveryCodes(tx, account.id, now);
  await recordAudit(tx, now, { type: change.event, actor: change.actor, accountId: account.id, ...meta, outcome: 'success' });
  if (account.email) {
    await deps.outbox.enqueue(tx, {
      channel: 'email', to: account.email, kind: 'credential_changed', language: account.language,
      params: { what: 'password', at: now.toISOString(), ip: meta.ip },
    });
  }
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
      event: 'password_changed', actor: `citizen:${account.codice_fiscale}`,
    }, meta);
    if (federatedProof && input.currentPassword === undefined) await clearSignInGuard(tx, account.codice_fiscale, deps.clock.now());
  });
}
