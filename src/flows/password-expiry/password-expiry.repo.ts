// S14: claims the accounts due for an expiry warning, each by one statement, so that several
// instances never warn twice (SKIP LOCKED) and each password is warned about once.
import type { Queryable } from '../../store/db.ts';

export interface DueAccount {
  id: string;
  email: string;
  language: 'it' | 'en' | 'ro';
  password_changed_at: Date;
}

export async function claimAccountsToWarn(tx: Queryable, now: Date, changedBefore: Date, limit: number): Promise<DueAccount[]> {
  const due = await tx.query<DueAccount>(
    `UPDATE accounts SET password_expiry_warned_at = $1
     WHERE id IN (SELECT id FROM accounts WHERE email IS NOT NULL AND password_hash IS NOT NULL AND password_temporary_until IS NULL
                    AND password_changed_at <= $2
                    AND (password_expiry_warned_at IS NULL OR password_expiry_warned_at < password_changed_at)
                  LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING id, email, language, password_changed_at`,
    [now, changedBefore, limit],
  );
  return due.rows;
}
