// Captcha challenges: the challenge id and the answer stored as SHA-256, consumed by their first use.
import type { Queryable } from '../../store/db.ts';

export async function insertChallenge(db: Queryable, challenge: { idHash: string; answerHash: string; expiresAt: Date }): Promise<void> {
  await db.query('INSERT INTO captcha_challenges (id_hash, answer_hash, expires_at) VALUES ($1, $2, $3)', [challenge.idHash, challenge.answerHash, challenge.expiresAt]);
}

/** Spends a live challenge in one guarded statement; returns its answer hash, or null. */
export async function consumeChallenge(db: Queryable, idHash: string, now: Date): Promise<string | null> {
  const used = await db.query<{ answer_hash: string }>(
    `UPDATE captcha_challenges SET used_at = $2 WHERE id_hash = $1 AND used_at IS NULL AND expires_at > $2
     RETURNING answer_hash`,
    [idHash, now],
  );
  return used.rows[0]?.answer_hash ?? null;
}
