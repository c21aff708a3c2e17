// known_devices (014): the browsers an account signed in from, by the hash of their device cookie
// (a sign-in records its device in src/flows/sign-in/sign-in-record.repo.ts).
import type { Queryable } from '../../store/db.ts';

/**
 * "This wasn't me": every device is a stranger again, so the next sign-in from any of them is
 * told. A marker row (no cookie hashes to it) keeps the account from looking brand new, whose
 * first device is learnt silently.
 */
export async function forgetDevices(tx: Queryable, accountId: string, now: Date): Promise<void> {
  await tx.query('DELETE FROM known_devices WHERE account_id = $1', [accountId]);
  await tx.query(`INSERT INTO known_devices (account_id, device_hash, user_agent, first_seen_at, last_seen_at) VALUES ($1, 'forgotten', NULL, $2, $2)`,
    [accountId, now]);
}
