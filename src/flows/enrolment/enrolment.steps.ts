// Enrolment of workers by their administration (NoiPA's first step): rows are checked one by
// one, the valid ones stored a chunk per transaction with their notices and an audit event,
// so a file of 100,000 rows never sits in memory and a late failure keeps the earlier chunks.
import type { OutgoingMessage } from '../../delivery/message.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { Queryable } from '../../store/db.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import {
  commitChunkWithoutFlush, insertWorkerAccounts, lockAccounts, refreshUnclaimedAccounts, upsertMemberships, type ExistingAccount,
} from './enrolment.repo.ts';
import { accountBirthDate, checkWorker, type Rejection, type WorkerRow } from './worker-row.ts';
import type { RawRow } from './worker-source.ts';

export const maxRowsPerRequest = 100_000;
const chunkSize = 2_000; // rows per transaction: few round trips, locks held well under a second
const chunksInFlight = 2; // one chunk in its transaction while the next one is parsed and checked

export interface EnrolmentSummary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: Rejection[];
}

export interface Administration {
  id: string;
  name: string;
}

export interface EnrolmentProgress {
  /** Rows read from the source so far, stored or rejected. */
  rowsRead: number;
  summary: Readonly<EnrolmentSummary>;
}

type EnrolDeps = Pick<FlowDeps, 'db' | 'clock' | 'outbox' | 'config'>;

/**
 * Rows are checked while the previous chunk is being stored: at most one chunk waits in
 * memory and one is in its transaction, so the parser's CPU time and the database's overlap
 * and the upload stays paced by the database (backpressure). `onChunkStored` follows each
 * commit (the upload jobs' progress).
 */
export async function enrolWorkers(
  deps: EnrolDeps, administration: Administration, batches: AsyncIterable<readonly RawRow[]>, meta: RequestMeta,
  options: { onChunkStored?: (progress: EnrolmentProgress) => Promise<void> } = {},
): Promise<EnrolmentSummary> {
  const summary: EnrolmentSummary = { created: 0, updated: 0, unchanged: 0, rejected: [] };
  const seen = new Set<string>(); // a codice fiscale twice in one request is a mistake in the file
  let chunk: WorkerRow[] = [];
  let count = 0;
  const storing: Promise<void>[] = [];
  const store = async (ready: WorkerRow[], rowsRead: number) => {
    if (storing.length >= chunksInFlight) await storing.shift();
    const stored = storeChunk(deps, administration, ready, summary, meta).then(() => options.onChunkStored?.({ rowsRead, summary }));
    stored.catch(() => undefined); // awaited by a later store or at the end; never unhandled meanwhile
    storing.push(stored);
  };
  const today = deps.clock.now();
  for await (const batch of batches) {
    for (const raw of batch) {
      if (++count > maxRowsPerRequest) {
        if (count === maxRowsPerRequest + 1) summary.rejected.push({ row: raw.row, code: 'too_many_rows' });
        continue;
      }
      if ('malformed' in raw) {
        summary.rejected.push({ row: raw.row, code: raw.malformed });
        continue;
      }
      const checked = checkWorker(raw.row, raw.fields, today);
      if (!checked.ok) summary.rejected.push(checked.rejection);
      else if (seen.has(checked.worker.codiceFiscale)) summary.rejected.push({ row: raw.row, code: 'duplicate_row', field: 'codiceFiscale' });
      else {
        seen.add(checked.worker.codiceFiscale);
        chunk.push(checked.worker);
      }
      if (chunk.length >= chunkSize) {
        await store(chunk, count);
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) await store(chunk, count);
  for (const stored of storing) await stored;
  await auditRequest(deps, administration, summary, meta);
  await options.onChunkStored?.({ rowsRead: count, summary });
  return summary;
}

/**
 * One event for the whole request, committed normally: its commit flushes the write-ahead
 * log of every chunk before it, so the answer is sent only once all of them are durable.
 */
async function auditRequest(deps: EnrolDeps, administration: Administration, summary: EnrolmentSummary, meta: RequestMeta) {
  await deps.db.transaction((tx) => recordAudit(tx, deps.clock.now(), {
    type: 'enrolment_received', actor: `administration:${administration.id}`, ...meta, outcome: 'success',
    details: { created: summary.created, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected.length },
  }));
}

const byCodiceFiscale = (a: WorkerRow, b: WorkerRow) => (a.codiceFiscale < b.codiceFiscale ? -1 : 1);

/** `chunk` is this call's own: it is sorted in place. */
async function storeChunk(deps: EnrolDeps, administration: Administration, chunk: WorkerRow[], summary: EnrolmentSummary, meta: RequestMeta) {
  // One order for every writer: two uploads touching the same workers lock them alike, no deadlock.
  const rows = chunk.sort(byCodiceFiscale);
  const counts = await deps.db.transaction(async (tx) => {
    await commitChunkWithoutFlush(tx); // the request's final commit (auditRequest) waits for all chunks
    const now = deps.clock.now();
    const created = await insertWorkerAccounts(tx, rows, (row) => accountBirthDate(row, now), now);
    const existing = await lockAccounts(tx, rows.filter((r) => !created.has(r.codiceFiscale)).map((r) => r.codiceFiscale));
    const byCf = new Map(existing.map((account) => [account.codice_fiscale, account]));
    // accountIds[i] is rows[i]'s account, just created or locked above.
    const accountIds = rows.map((r) => created.get(r.codiceFiscale) ?? byCf.get(r.codiceFiscale)!.id);
    const unclaimed = rows.flatMap((r, i) => (byCf.get(r.codiceFiscale)?.unclaimed ? [i] : []));
    const emailChanged = await refreshUnclaimedAccounts(tx, unclaimed.map((i) => rows[i]!), unclaimed.map((i) => accountIds[i]!), now);
    const memberships = await upsertMemberships(tx, administration.id, rows, accountIds, now);
    const notices = noticesFor(deps, administration, rows, accountIds, { created, existing: byCf, emailChanged, joined: memberships.inserted });
    await deps.outbox.enqueueMany(tx, notices);
    const result = { created: memberships.inserted.size, updated: memberships.updated.size, unchanged: rows.length - memberships.inserted.size - memberships.updated.size };
    await auditChunk(tx, now, administration, result, meta);
    return result;
  });
  summary.created += counts.created;
  summary.updated += counts.updated;
  summary.unchanged += counts.unchanged;
}

interface ChunkState {
  created: Map<string, string>;
  existing: Map<string, ExistingAccount>;
  emailChanged: Set<string>;
  joined: Set<string>;
}

/**
 * The no-reply notice goes to an address newly registered for the worker: a new account's,
 * one an administration just replaced on an unclaimed account, or — when the worker joins
 * one more administration — the address already on the account, which tells its holder.
 */
function noticesFor(
  deps: EnrolDeps, administration: Administration, rows: readonly WorkerRow[], accountIds: readonly string[], state: ChunkState,
): OutgoingMessage[] {
  // One params object for the chunk: the outbox renders the notice once for all of them.
  const params = { administration: administration.name, firstAccessUrl: `${deps.config.publicUrl}/assistance` };
  const notices: OutgoingMessage<'enrolment_notice'>[] = [];
  rows.forEach((row, i) => {
    const accountId = accountIds[i]!;
    if (!state.joined.has(accountId) && !state.emailChanged.has(accountId)) return;
    const account = state.existing.get(row.codiceFiscale);
    const fresh = state.created.has(row.codiceFiscale) || state.emailChanged.has(accountId) || (account?.unclaimed ?? false);
    const to = fresh ? row.email : account?.email;
    if (to) notices.push({ channel: 'email', to, kind: 'enrolment_notice', language: account?.language ?? 'it', params });
  });
  return notices;
}

async function auditChunk(tx: Queryable, now: Date, administration: Administration, counts: { created: number; updated: number; unchanged: number }, meta: RequestMeta) {
  await recordAudit(tx, now, { type: 'workers_enrolled', actor: `administration:${administration.id}`, ...meta, outcome: 'success', details: counts });
}
