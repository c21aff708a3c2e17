// S31 of SECURITY.md: an append-only, hash-chained audit trail. The chain head row is
// locked for the length of the writing transaction, so concurrent writers extend one chain.
import { createHash } from 'node:crypto';
import type { Queryable } from './db.ts';

export interface AuditEvent {
  type: string;
  actor: string; // 'citizen:<cf>', 'operator:<id>', 'admin', 'system'
  accountId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  outcome: 'success' | 'failure' | 'refused';
  details?: Record<string, string | number | boolean | null>;
}

interface StoredAuditRow {
  seq: string | number;
  at: Date;
  type: string;
  actor: string;
  account_id: string | null;
  ip: string | null;
  user_agent: string | null;
  outcome: string;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

function sortedJson(value: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))));
}

function chainHash(prevHash: string, at: Date, fields: Omit<StoredAuditRow, 'seq' | 'at' | 'prev_hash' | 'hash'>): string {
  const content = [prevHash, at.toISOString(), fields.type, fields.actor, fields.account_id ?? '', fields.ip ?? '',
    fields.user_agent ?? '', fields.outcome, sortedJson(fields.details)].join('\n');
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

export async function recordAudit(tx: Queryable, at: Date, event: AuditEvent): Promise<void> {
  const head = await tx.query<{ hash: string }>('SELECT hash FROM audit_chain_head FOR UPDATE');
  const prevHash = head.rows[0]?.hash ?? 'genesis';
  const fields = {
    type: event.type,
    actor: event.actor,
    account_id: event.accountId ?? null,
    ip: event.ip ?? null,
    user_agent: event.userAgent?.slice(0, 300) ?? null,
    outcome: event.outcome,
    details: event.details ?? {},
  };
  const hash = chainHash(prevHash, at, fields);
  await tx.query(
    `INSERT INTO audit_events (at, type, actor, account_id, ip, user_agent, outcome, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [at, fields.type, fields.actor, fields.account_id, fields.ip, fields.user_agent, fields.outcome,
      JSON.stringify(fields.details), prevHash, hash],
  );
  await tx.query('UPDATE audit_chain_head SET hash = $1', [hash]);
}

export interface AuditBreak {
  /** The first record that does not verify (for a missing tail: the last one kept). */
  seq: number;
  reason: 'altered' | 'record_missing_before' | 'tail_missing';
}

const verifyBatchRows = 5000; // the chain is read in pages, never whole, however long it grows

/**
 * Recomputes the chain from the first record and names the first one that breaks it: a
 * changed record no longer hashes to its stored hash; a deleted one leaves the next record
 * pointing at a hash that is not its predecessor's; a deleted tail leaves the chain head
 * pointing past the last record. Null when the whole chain verifies.
 */
export async function verifyAuditChain(db: Queryable): Promise<AuditBreak | null> {
  let prevHash = 'genesis';
  let lastSeq = 0;
  for (;;) {
    const page = await db.query<StoredAuditRow>('SELECT * FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2', [lastSeq, verifyBatchRows]);
    for (const row of page.rows) {
      const seq = Number(row.seq);
      if (row.prev_hash !== prevHash) return { seq, reason: 'record_missing_before' };
      if (chainHash(prevHash, row.at, row) !== row.hash) return { seq, reason: 'altered' };
      prevHash = row.hash;
      lastSeq = seq;
    }
    if (page.rows.length < verifyBatchRows) break;
  }
  const head = await db.query<{ hash: string }>('SELECT hash FROM audit_chain_head');
  return head.rows[0]?.hash === prevHash ? null : { seq: lastSeq, reason: 'tail_missing' };
}

export async function countAuditEvents(db: Queryable): Promise<number> {
  const result = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_events');
  return Number(result.rows[0]?.n ?? 0);
}

export interface ActivityEntry {
  type: string;
  at: Date;
  ip: string | null;
  userAgent: string | null;
}

export async function accountActivity(db: Queryable, accountId: string, limit = 50): Promise<ActivityEntry[]> {
  const result = await db.query<{ type: string; at: Date; ip: string | null; user_agent: string | null }>(
    'SELECT type, at, ip, user_agent FROM audit_events WHERE account_id = $1 ORDER BY seq DESC LIMIT $2',
    [accountId, limit],
  );
  return result.rows.map((row) => ({ type: row.type, at: row.at, ip: row.ip, userAgent: row.user_agent }));
}
