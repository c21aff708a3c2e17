// S2 (issue 13), issue 14: a recovery start does the same work on the request path whatever
// it matches — it is checked, counted against the limits and recorded as one row — and
// nothing else. Rows recorded in the same instant go in one INSERT (a group commit, so a
// burst of "Password dimenticata" costs a fraction of a statement each). The recovery-start
// worker (processRecoveryStarts) later looks the account up and does what the start asks:
// flow, secret, audit event and message, in one transaction per start.
import { registerPendingWork } from '../../delivery/pending-work.ts';
import type { Db, Queryable } from '../../store/db.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import {
  anyRecoveryStartWaiting, claimRecoveryStarts, deleteRecoveryStarts, insertRecoveryStarts, keepClaimPoint, pendingStartIds, releaseClaimPoint, undoToClaimPoint, type RecoveryStartKind, type RecoveryStartRow,
} from './recovery-starts.repo.ts';

export type { RecoveryStartKind, RecoveryStartRow } from './recovery-starts.repo.ts';

/** What a flow does with one of its starts, inside the worker's transaction. */
export type RecoveryStartHandler = (tx: Queryable, deps: FlowDeps, start: RecoveryStartRow) => Promise<void>;

const handlers = new Map<RecoveryStartKind, RecoveryStartHandler>();

/** Each recovery flow registers its handler when its steps module loads. */
export function handleRecoveryStarts(kind: RecoveryStartKind, handler: RecoveryStartHandler): void {
  handlers.set(kind, handler);
}

interface Waiting {
  row: Omit<RecoveryStartRow, 'request'> & { request: string };
  done: (error?: unknown) => void;
}

const maxRowsPerInsert = 500;

/** One writer per database: what arrives while an INSERT runs goes in the next one. */
function createRecorder(db: Db) {
  let waiting: Waiting[] = [];
  let writing = false;
  const flush = async () => {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxRowsPerInsert);
      waiting = waiting.slice(batch.length);
      try {
        await insertRecoveryStarts(db, batch.map((w) => w.row));
        for (const w of batch) w.done();
      } catch (error) {
        for (const w of batch) w.done(error);
      }
    }
    writing = false;
  };
  return (row: Waiting['row']) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ row, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!writing) setImmediate(() => void flush());
    });
}

const recorders = new WeakMap<Db, ReturnType<typeof createRecorder>>();

/** Records a start (the id is the flow id the answer gives); resolves once it is stored. */
export async function recordRecoveryStart(
  deps: FlowDeps, start: { id: string; kind: RecoveryStartKind; request: Record<string, unknown>; requestedAt: Date }, meta: RequestMeta,
): Promise<void> {
  let record = recorders.get(deps.db);
  if (!record) {
    record = createRecorder(deps.db);
    recorders.set(deps.db, record);
    registerPendingWork(deps.db, 'recovery-starts', () => processRecoveryStarts(deps, Number.MAX_SAFE_INTEGER));
  }
  await record({ id: start.id, kind: start.kind, request: JSON.stringify(start.request), ip: meta.ip,
    user_agent: meta.userAgent.slice(0, 300), requested_at: start.requestedAt });
}

const startsPerTransaction = 50; // one commit (one WAL flush) for many starts

/**
 * Carries out a batch of starts (the oldest free ones, or the one named) in one transaction;
 * a start its handler cannot carry out is dropped (its savepoint undoes only its own work), so
 * that one bad row never stops the queue. Returns how many it took.
 */
async function processBatch(deps: FlowDeps, limit: number, id?: string, onDropped?: (error: unknown) => void): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const starts = await claimRecoveryStarts(tx, limit, id);
    for (const start of starts) {
      const handler = handlers.get(start.kind);
      await keepClaimPoint(tx);
      try {
        if (!handler) throw new Error(`no handler for ${start.kind} recovery starts`);
        await handler(tx, deps, start);
        await releaseClaimPoint(tx);
      } catch (error) {
        await undoToClaimPoint(tx);
        onDropped?.(error);
      }
    }
    if (starts.length > 0) await deleteRecoveryStarts(tx, starts.map((start) => start.id));
    return starts.length;
  });
}

/** The worker's tick: carries out up to `max` pending starts; returns how many. */
export async function processRecoveryStarts(deps: FlowDeps, max = 200, onDropped?: (error: unknown) => void): Promise<number> {
  // The worker ticks 20 times a second on every instance: an idle tick is one statement, not
  // the three of a transaction that claims nothing (issue 14: 60 round trips a second, about an
  // eighth of PostgreSQL's during a sign-in load at 190/s).
  if (!(await anyRecoveryStartWaiting(deps.db))) return 0;
  let done = 0;
  while (done < max) {
    const taken = await processBatch(deps, Math.min(startsPerTransaction, max - done), undefined, onDropped);
    if (taken === 0) break;
    done += taken;
  }
  return done;
}

/**
 * Before a code, link or token is checked: the starts it must see are carried out first (its
 * flow's own, when the code beat the worker; a newer one of the same citizen, which voids it).
 */
export async function carryOutPendingStarts(deps: FlowDeps, kind: RecoveryStartKind, about: { flowId?: string; codiceFiscale?: string }): Promise<number> {
  const ids = await pendingStartIds(deps.db, kind, about);
  for (const id of ids) await processBatch(deps, 1, id);
  return ids.length;
}
