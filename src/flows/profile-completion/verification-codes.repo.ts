// SQL of contact proofs: the address a contact code went to. The codes themselves are rows of
// one_time_secrets (credentials/one-time-secret.repo.ts) whose flow_id is the proof's id.
import type { Queryable } from '../../store/db.ts';
import type { CodePurpose } from './verification-codes.ts';

type Proof = { accountId: string; purpose: CodePurpose; target: string };

/** The latest proof of this address opened since `since`, if any. */
export async function recentProof(db: Queryable, proof: Proof, since: Date): Promise<string | null> {
  const recent = await db.query<{ id: string }>(
    `SELECT id FROM contact_proofs WHERE account_id = $1 AND purpose = $2 AND target = $3 AND created_at > $4
     ORDER BY created_at DESC LIMIT 1`,
    [proof.accountId, proof.purpose, proof.target, since],
  );
  return recent.rows[0]?.id ?? null;
}

/** The newest proof of this purpose opened since `since`, whatever its address. */
export async function latestProof(db: Queryable, owner: { accountId: string; purpose: CodePurpose }, since: Date): Promise<{ id: string; target: string } | null> {
  const latest = await db.query<{ id: string; target: string }>(
    `SELECT id, target FROM contact_proofs WHERE account_id = $1 AND purpose = $2 AND created_at > $3 ORDER BY created_at DESC LIMIT 1`,
    [owner.accountId, owner.purpose, since],
  );
  return latest.rows[0] ?? null;
}

export async function openProof(tx: Queryable, proof: Proof, now: Date): Promise<string> {
  const created = await tx.query<{ id: string }>(
    `INSERT INTO contact_proofs (id, account_id, purpose, target, created_at) VALUES (gen_random_uuid(), $1, $2, $3, $4) RETURNING id`,
    [proof.accountId, proof.purpose, proof.target, now],
  );
  return created.rows[0]!.id;
}

export async function proofTarget(db: Queryable, proofId: string): Promise<string | null> {
  const result = await db.query<{ target: string }>('SELECT target FROM contact_proofs WHERE id = $1', [proofId]);
  return result.rows[0]?.target ?? null;
}
