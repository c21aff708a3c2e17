// S31 of SECURITY.md: an append-only, hash-chained audit trail. Requests only append their
// event (one INSERT, no shared row locked: issue 14); the sealer (sealAuditBatch, run every
// few hundred milliseconds off the request path) takes the chain head lock once per batch and
// gives each unsealed event its chain_seq, prev_hash and hash, in the order of seq.
import { createHash } from 'node:crypto';
import type { Db, Queryable } from './db.ts';

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
  prev_hash: string | null;
  hash: string | null;
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
  await tx.query(
    `INSERT INTO audit_events (at, type, actor, account_id, ip, user_agent, outcome, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [at, event.type, event.actor, event.accountId ?? null, event.ip ?? null, event.userAgent?.slice(0, 300) ?? null,
      event.outcome, JSON.stringify(event.details ?? {})],
  );
}

const sealBatchRows = 1000;

/**
 * Seals up to `limit` events: one transaction holding the chain head, one read, one bulk
 * update. Instances sealing at once queue on the head row and each seals what the other left.
 * Returns how many it sealed.
 */
export async function sealAuditBatch(db: Db, limit = sealBatchRows): Promise<number> {
  return db.transaction(async (tx) => {
    const head = await tx.query<{ hash: string; chain_seq: string | number }>('SELECT hash, chain_seq FROM audit_chain_head FOR UPDATE');
    const pending = await tx.query<StoredAuditRow>('SELECT * FROM audit_events WHERE chain_seq IS NULL ORDER BY seq LIMIT $1', [limit]);
    if (pending.rows.length === 0) return 0;
    let prevHash = head.rows[0]?.hash ?? 'genesis';
    let chainSeq = Number(head.rows[0]?.chain_seq ?? 0);
    const seqs: string[] = [];
    const chainSeqs: string[] = [];
    const prevHashes: string[] = [];
    const hashes: string[] = [];
    for (const row of pending.rows) {
      const hash = chainHash(prevHash, row.at, row);
      chainSeq += 1;
      seqs.push(String(row.seq));
      chainSeqs.push(String(chainSeq));
      prevHashes.push(prevHash);
      hashes.push(hash);
      prevHash = hash;
    }
    await tx.query(
      `UPDATE audit_events AS e SET chain_seq = v.chain_seq, prev_hash = v.prev_hash, hash = v.hash
       FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS v (seq, chain_seq, prev_hash, hash)
       WHERE e.seq = v.seq AND e.chain_seq IS NULL`,
      [seqs, chainSeqs, prevHashes, hashes],
    );
    await tx.query('UPDATE audit_chain_head SET hash = $1, chain_seq = $2', [prevHash, chainSeq]);
    return pending.rows.length;
  });
}

/**
 * Seals every event waiting. Each instance's sealer calls this four times a second: an idle
 * call is one statement that locks nothing, and a batch short of full is the last (what comes
 * meanwhile waits for the next call) rather than followed by an empty one; issue 14: the idle
 * and the empty batches were four round trips each.
 */
export async function sealAllAudit(db: Db): Promise<number> {
  const waiting = await db.query<{ waiting: boolean }>('SELECT EXISTS (SELECT 1 FROM audit_events WHERE chain_seq IS NULL) AS waiting');
  if (waiting.rows[0]?.waiting !== true) return 0;
  let total = 0;
  for (;;) {
    const sealed = await sealAuditBatch(db);
    total += sealed;
    if (sealed < sealBatchRows) return total;
  }
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
export async function verifyAuditChain(db: Db): Promise<AuditBreak | null> {
  await sealAllAudit(db); // events not yet sealed join the chain first, so every record is checked
  let prevHash = 'genesis';
  let lastSeq = 0;
  let lastChainSeq = 0;
  for (;;) {
    const page = await db.query<StoredAuditRow & { chain_seq: string | number }>(
      'SELECT * FROM audit_events WHERE chain_seq > $1 ORDER BY chain_seq LIMIT $2', [lastChainSeq, verifyBatchRows]);
    for (const row of page.rows) {
      const seq = Number(row.seq);
      if (row.prev_hash !== prevHash) return { seq, reason: 'record_missing_before' };
      if (chainHash(prevHash, row.at, row) !== row.hash) return { seq, reason: 'altered' };
      prevHash = row.hash ?? '';
      lastSeq = seq;
      lastChainSeq = Number(row.chain_seq);
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
