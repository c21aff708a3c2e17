// What a password or PIN change ends (S9, S15, S22), as ONE statement: the account's sessions
// but the one kept, its outstanding secrets, its open recovery flows and PIN changes, and its
// sign-in lock when the rule clears it. Each part is the statement its own repo runs alone;
// data-modifying CTEs on different tables commit together, so nothing is ended by half.
// Issue 14: five round trips were a sixth of a reset completion's statements.
import { afterSuccess } from '../../domain/lockout.ts';
import type { Queryable } from '../../store/db.ts';
import { deleteAccountSessionsSql } from '../../store/sessions.repo.ts';
import { writeGuardSql } from '../../store/sign-in-guards.repo.ts';
import { openStates as openRecoveryStates } from '../password-recovery/password-recovery.state.ts';
import { killOpenFlowsSql } from '../password-recovery/recovery-flows.repo.ts';
import { killOpenChangesSql, openChangeStates } from '../pin/pin.repo.ts';
import { voidAllSecretsOfAccountSql } from './one-time-secret.repo.ts';

const endSql = `WITH sessions_ended AS (${deleteAccountSessionsSql({ accountId: '$1', exceptIdHash: '$2' })}),
  secrets_voided AS (${voidAllSecretsOfAccountSql({ accountId: '$1', now: '$3' })}),
  flows_ended AS (${killOpenFlowsSql({ accountId: '$1', openStates: '$4' })}),
  changes_ended AS (${killOpenChangesSql({ accountId: '$1', openStates: '$5' })}),
  lock_cleared AS (${writeGuardSql({ subject: '$6', failures: '$7', lockedUntil: '$8', lockCount: '$9', now: '$3' })})
SELECT 1`;

export interface ChangeEnds {
  accountId: string;
  /** The session the change was made from, where the rule keeps it; undefined ends them all. */
  keepSessionIdHash: string | undefined;
  /** The codice fiscale whose sign-in guard goes back to fresh; null leaves the guard as it is. */
  clearGuardOf: string | null;
  now: Date;
}

export async function endWhatAChangeVoids(tx: Queryable, ends: ChangeEnds): Promise<void> {
  const guard = afterSuccess();
  await tx.query(endSql, [ends.accountId, ends.keepSessionIdHash ?? '', ends.now, openRecoveryStates, openChangeStates,
    ends.clearGuardOf, guard.failures, guard.lockedUntil, guard.lockCount]);
}
