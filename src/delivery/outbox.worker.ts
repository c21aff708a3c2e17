// Delivers outbox messages: claim a batch under a lease, deliver outside any transaction,
// then mark each sent or schedule its retry. Several workers, in one process or on several
// instances sharing one PostgreSQL, never hold the same message at once (outbox.repo.ts);
// a worker that dies after sending leaves a lease that expires, and the message goes again
// with the same Message-ID / idempotency key, both derived from the row id, so the receiver
// can recognise the duplicate. Delivery is at least once, never silently lost.
import type { Clock, Random } from '../domain/clock.ts';
import { addSeconds } from '../domain/clock.ts';
import type { Db } from '../store/db.ts';
import { describeDeliveryError, type Channels } from './channels/channel.ts';
import { claimDue, failExhausted, markFailed, markSent, scheduleRetry, type ClaimedRow } from './outbox.repo.ts';

export interface RetryPolicy {
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  /** How long a claim holds a message; must exceed the slowest channel timeout. */
  leaseSeconds: number;
  /** Spreads the retries of messages that failed together; none when absent. */
  jitter?: Random;
  /** Claims a message may take before it is failed, whatever its give-up time (never retried for ever). */
  maxAttempts?: number;
}

const defaultMaxAttempts = 12;
export const defaultRetry: RetryPolicy = { firstDelaySeconds: 5, maxDelaySeconds: 60 * 60, leaseSeconds: 60, maxAttempts: defaultMaxAttempts };

export interface WorkerLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OutboxWorkerOptions {
  db: Db;
  clock: Clock;
  channels: Channels;
  logger?: WorkerLogger;
  batchSize?: number;
  retry?: Partial<RetryPolicy>;
}

export interface OutboxWorker {
  /** Claims one batch of due messages, delivers it and returns how many were processed. */
  runOnce(): Promise<number>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

/** 5 s, 10 s, 20 s … up to the cap; with jitter, somewhere between half that and that. */
export function retryDelaySeconds(attempts: number, policy: RetryPolicy = defaultRetry): number {
  const delay = Math.min(policy.firstDelaySeconds * 2 ** Math.max(0, attempts - 1), policy.maxDelaySeconds);
  if (!policy.jitter) return delay;
  const halfMs = Math.floor((delay * 1000) / 2);
  return (halfMs + policy.jitter.int(0, halfMs + 1)) / 1000;
}

type Outcome = { row: ClaimedRow; providerId: string } | { row: ClaimedRow; error: unknown };

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, clock, channels, logger } = options;
  const batchSize = options.batchSize ?? 200;
  const retry: RetryPolicy = { ...defaultRetry, ...options.retry };

  async function deliver(row: ClaimedRow): Promise<Outcome> {
    try {
      const { providerId } = await channels[row.channel].send({
        id: row.id, to: row.recipient, kind: row.kind, subject: row.subject, text: row.body_text ?? '', html: row.body_html,
      });
      return { row, providerId };
    } catch (error) {
      return { row, error };
    }
  }

  async function recordFailure(row: ClaimedRow, error: unknown): Promise<void> {
    const now = clock.now();
    const reason = describeDeliveryError(error);
    const fields = { messageId: row.id, kind: row.kind, channel: row.channel, attempts: row.attempts, reason };
    if (now >= row.give_up_at || row.attempts >= (retry.maxAttempts ?? defaultMaxAttempts)) {
      await markFailed(db, row, now, reason);
      logger?.error(fields, 'message given up');
      return;
    }
    await scheduleRetry(db, row, addSeconds(now, retryDelaySeconds(row.attempts, retry)), reason);
    logger?.warn(fields, 'delivery will be retried');
  }

  async function runOnce(): Promise<number> {
    const now = clock.now();
    const exhausted = await failExhausted(db, now, retry.maxAttempts ?? defaultMaxAttempts);
    if (exhausted > 0) logger?.error({ count: exhausted, maxAttempts: retry.maxAttempts ?? defaultMaxAttempts }, 'messages given up after their attempts');
    const rows = await claimDue(db, now, addSeconds(now, retry.leaseSeconds), batchSize);
    const outcomes = await Promise.all(rows.map(deliver));
    const sent = outcomes.flatMap((o) => ('providerId' in o ? [{ id: o.row.id, providerId: o.providerId }] : []));
    await markSent(db, sent, clock.now());
    for (const outcome of outcomes) if ('error' in outcome) await recordFailure(outcome.row, outcome.error);
    return rows.length;
  }

  return { runOnce, ...createLoop(runOnce, batchSize, logger) };
}

/** Runs batches back to back while they come full, otherwise pauses; stop() waits for the batch in hand. */
function createLoop(runOnce: () => Promise<number>, batchSize: number, logger: WorkerLogger | undefined) {
  let loop: Promise<void> | undefined;
  let stopping = false;
  let wake: () => void = () => undefined;

  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    wake = () => { clearTimeout(timer); resolve(); };
  });

  async function run(intervalMs: number): Promise<void> {
    while (!stopping) {
      const processed = await runOnce().catch((error: unknown) => {
        logger?.error({ err: error }, 'outbox worker failed');
        return 0;
      });
      if (processed < batchSize && !stopping) await pause(intervalMs);
    }
  }

  return {
    start(intervalMs: number): void {
      if (loop) return;
      stopping = false;
      loop = run(intervalMs);
    },
    async stop(): Promise<void> {
      stopping = true;
      wake();
      await loop;
      loop = undefined;
    },
  };
}
