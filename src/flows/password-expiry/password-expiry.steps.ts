// S14 of SECURITY.md: a warning email 14 days before a password expires, once per password.
// Runs periodically beside the outbox worker; each account is claimed by one statement, so
// several instances never warn twice.
import { expiryPolicy } from '../../config.ts';
import type { FlowDeps } from '../deps.ts';
import { claimAccountsToWarn } from './password-expiry.repo.ts';

export const warningDaysBefore = 14;
const dayMs = 24 * 60 * 60 * 1000;
const batchSize = 200;

export async function sendPasswordExpiryWarnings(deps: Pick<FlowDeps, 'db' | 'clock' | 'outbox' | 'config'>): Promise<number> {
  const { passwordMaxAgeDays } = expiryPolicy(deps.config);
  if (passwordMaxAgeDays === 0) return 0;
  const now = deps.clock.now();
  const warnFrom = new Date(now.getTime() - (passwordMaxAgeDays - warningDaysBefore) * dayMs);
  return deps.db.transaction(async (tx) => {
    const due = await claimAccountsToWarn(tx, now, warnFrom, batchSize);
    for (const account of due) {
      const expiresAt = new Date(account.password_changed_at.getTime() + passwordMaxAgeDays * dayMs);
      await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'password_expiry_warning', language: account.language,
        params: { expiresAt: expiresAt.toISOString(), changeUrl: `${deps.config.publicUrl}/area/password` } });
    }
    return due.length;
  });
}
