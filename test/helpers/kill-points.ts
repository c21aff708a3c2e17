// Where to SIGKILL the service in the middle of a request, for the kill-safety suites:
// - after a delay, spread over how long the request takes when left alone (so some kills
//   land before the transaction, some in it, some between COMMIT and the answer, some after);
// - inside the transaction, deterministically: the test holds an EXCLUSIVE lock on one of the
//   tables the request writes, waits until one of the service's backends is blocked on it
//   having already written something in its transaction (backend_xid set), and kills then.
//   Once the lock is released, that orphaned backend runs its statement, finds its client
//   gone and rolls back: nothing of the transaction may be visible afterwards;
// - the same with another hold than a table lock (`hold`, run in the test's transaction): for
//   a request of several transactions, an uncommitted row that only a later one collides
//   with lets the earlier ones commit, a kill between them that no delay can be sure to hit.
import assert from 'node:assert/strict';
import type pg from 'pg';
import { killService, type Answer, type ServiceProcess, type ServiceSchema } from './service-process.ts';

export type KillPoint =
  | { label: string; afterMs: number }
  | {
    label: string; blockedOn: string;
    /** Instead of locking the table: what to hold, in the test's open transaction. */
    hold?: (locker: pg.PoolClient) => Promise<void>;
    /** Once a backend is blocked, kill only when this holds too (what the hold lets through is stored). */
    until?: () => Promise<boolean>;
  };

export function killPoints(requestMs: number, tables: readonly string[]): KillPoint[] {
  // Up to 4× the time it took alone: on a loaded machine the same request can take that long,
  // and a sweep whose kills all land before the COMMIT never sees the outcome "all".
  const fractions = [0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1, 1.1, 2, 4];
  return [
    ...fractions.map((f) => ({ label: `after ${Math.round(f * 100)} % of the request (${Math.round(f * requestMs)} ms)`, afterMs: Math.round(f * requestMs) })),
    ...tables.map((table) => ({ label: `in the transaction, blocked on ${table}`, blockedOn: table })),
  ];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface KillOutcome {
  /** The answer, when the service gave one before it died (else null). */
  answer: Answer | null;
  /** For a lock point: whether the kill caught a transaction that had written (false: it never got there). */
  caughtInTransaction?: boolean;
}

/** Fires `request`, kills the service at `point`, and waits until its database backends are gone. */
export async function fireAndKill(service: ServiceProcess, schema: ServiceSchema, request: () => Promise<Answer | null>, point: KillPoint): Promise<KillOutcome> {
  if ('afterMs' in point) {
    const pending = request();
    await sleep(point.afterMs);
    await killService(service);
    const answer = await pending;
    await backendsGone(schema);
    return { answer };
  }
  const locker = await schema.client.connect();
  try {
    await locker.query('BEGIN');
    if (point.hold) await point.hold(locker);
    else await locker.query(`LOCK TABLE ${point.blockedOn} IN EXCLUSIVE MODE`);
    let settled = false;
    const pending = request().finally(() => { settled = true; });
    // Watched from another connection: inside the locker's transaction pg_stat_activity would stay the snapshot of its start.
    const caught = await blockedAfterWriting(schema.client, schema.applicationName, () => settled);
    for (let i = 0; point.until && i < 300 && !settled && !(await point.until()); i++) await sleep(50);
    await killService(service);
    await locker.query('ROLLBACK');
    const answer = await pending;
    await backendsGone(schema);
    return { answer, caughtInTransaction: caught };
  } finally {
    locker.release();
  }
}

async function blockedAfterWriting(client: pg.Pool, applicationName: string, settled: () => boolean): Promise<boolean> {
  for (let i = 0; i < 2000 && !settled(); i++) {
    const blocked = await client.query(
      // (The audit sealer's own transaction, which also writes audit_events, is not the request's.)
      `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL
         AND query NOT ILIKE '%chain_seq%'`, [applicationName]);
    if (blocked.rowCount) return true;
    await sleep(5);
  }
  return false;
}

/** The killed service's connections end (their transactions rolled back) before anyone looks. */
async function backendsGone(schema: ServiceSchema): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const left = await schema.client.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1`, [schema.applicationName]);
    if (!left.rowCount) return;
    await sleep(50);
  }
  const left = await schema.client.query(`SELECT pid, state, wait_event_type, wait_event, left(query, 120) AS query FROM pg_stat_activity WHERE application_name = $1`,
    [schema.applicationName]);
  throw new Error(`the killed service still has database backends after 30 s: ${JSON.stringify(left.rows)}`);
}

/**
 * The whole sweep of a kill-safety suite: for each point, a fresh subject, the request fired
 * and the service killed, the service started again, and the outcome judged ('all' or 'none',
 * `judge` asserting that it is one of the two). An answer given before the kill must agree
 * with what is stored. The sweep must reach both outcomes and catch at least three kills inside
 * the transaction, so that it cannot pass without testing anything; returns the outcomes.
 */
export async function sweepKillPoints<Subject>(options: {
  /** The running service (a new one after each restart). */
  service(): ServiceProcess;
  schema: ServiceSchema; points: KillPoint[]; okStatus: number;
  prepare(index: number): Promise<Subject>;
  request(subject: Subject): Promise<Answer | null>;
  restart(): Promise<void>;
  judge(subject: Subject, where: string): Promise<'all' | 'none'>;
}): Promise<string[]> {
  const outcomes: string[] = [];
  let caughtInTransaction = 0;
  for (const [i, point] of options.points.entries()) {
    const subject = await options.prepare(i + 1);
    const { answer, caughtInTransaction: caught } = await fireAndKill(options.service(), options.schema, () => options.request(subject), point);
    if (caught) caughtInTransaction++;
    await options.restart();
    const outcome = await options.judge(subject, point.label);
    if (answer) assert.equal(outcome, answer.status === options.okStatus ? 'all' : 'none', `${point.label}: the answer given agrees with what is stored`);
    outcomes.push(`${point.label}: ${outcome}${answer ? ` (answered ${answer.status})` : ''}${caught ? ' (caught in the transaction)' : ''}`);
  }
  assert.ok(outcomes.some((o) => o.includes(': none')) && outcomes.some((o) => o.includes(': all')), `both outcomes were reached:\n${outcomes.join('\n')}`);
  assert.ok(caughtInTransaction >= 3, `kills landed inside the transaction (${caughtInTransaction}):\n${outcomes.join('\n')}`);
  return outcomes;
}
