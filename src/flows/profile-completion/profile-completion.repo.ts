// SQL of profile completion: each step clears its own pending action in the statement that
// records what it proved, so the action and the fact cannot disagree.
import type { Queryable } from '../../store/db.ts';

/** Marks the email verified only if it is still the address the code went to. */
export async function markEmailVerified(tx: Queryable, accountId: string, email: string, now: Date): Promise<boolean> {
  const result = await tx.query(
    `UPDATE accounts SET email_verified = true, pending_actions = array_remove(pending_actions, 'verify_email'), updated_at = $3
     WHERE id = $1 AND email = $2`,
    [accountId, email, now],
  );
  return result.rowCount === 1;
}

export async function markMobileVerified(tx: Queryable, accountId: string, mobile: string, now: Date): Promise<boolean> {
  const result = await tx.query(
    `UPDATE accounts SET mobile_verified = true, pending_actions = array_remove(pending_actions, 'verify_mobile'), updated_at = $3
     WHERE id = $1 AND mobile = $2`,
    [accountId, mobile, now],
  );
  return result.rowCount === 1;
}

export async function storeSecurityQuestion(tx: Queryable, accountId: string, question: string, answerHash: string, now: Date): Promise<void> {
  await tx.query(
    `UPDATE accounts SET security_question = $2, security_answer_hash = $3, security_question_set_at = $4,
       pending_actions = array_remove(pending_actions, 'set_security_question'), updated_at = $4
     WHERE id = $1`,
    [accountId, question, answerHash, now],
  );
}
