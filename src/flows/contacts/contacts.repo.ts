// SQL of contact changes: the new contact replaces the old one only once its code is spent.
import type { Queryable } from '../../store/db.ts';

export type Contact = 'email' | 'mobile' | 'pec';

// Column names come from this fixed map, never from input.
const setters: Record<Contact, string> = {
  email: 'email = $2, email_verified = true',
  mobile: 'mobile = $2, mobile_verified = true',
  pec: 'pec = $2, pec_verified = true',
};

/** Stores the proved contact; returns the one it replaced. */
export async function replaceContact(tx: Queryable, accountId: string, contact: Contact, value: string, now: Date): Promise<{ old: string | null }> {
  const result = await tx.query<{ old: string | null }>(
    `UPDATE accounts a SET ${setters[contact]}, updated_at = $3
     FROM (SELECT id, ${contact} AS old FROM accounts WHERE id = $1 FOR UPDATE) prior
     WHERE a.id = prior.id RETURNING prior.old`,
    [accountId, value, now],
  );
  return { old: result.rows[0]?.old ?? null };
}
