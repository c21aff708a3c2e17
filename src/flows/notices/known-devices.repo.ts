// known_devices (014): the browsers an account signed in from, by the hash of their device cookie.
import type { Queryable } from '../../store/db.ts';

/** Records the sign-in's device; tells whether it is new, and whether the account knew any device before. */
export async function rememberDevice(
  tx: Queryable, device: { accountId: string; deviceHash: string; userAgent: string }, now: Date,
): Promise<{ isNew: boolean; knewOthers: boolean }> {
  const known = await tx.query<{ device_hash: string }>('SELECT device_hash FROM known_devices WHERE account_id = $1', [device.accountId]);
  const isNew = !known.rows.some((row) => row.device_hash === device.deviceHash);
  // Two sign-ins of one new browser at once both insert: the second one updates, and both notice (harmless).
  await tx.query(
    `INSERT INTO known_devices (account_id, device_hash, user_agent, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (account_id, device_hash) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, user_agent = EXCLUDED.user_agent`,
    [device.accountId, device.deviceHash, device.userAgent.slice(0, 300), now],
  );
  return { isNew, knewOthers: known.rows.length > (isNew ? 0 : 1) };
}

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
