// Delivers outbox messages. Claiming is one statement with FOR UPDATE SKIP LOCKED that also
// leases the rows (next_attempt_at pushed forward), so several workers on one PostgreSQL
// never take the same message; a worker that dies mid-send leaves a lease that expires and
// the message is sent again with the same Message-ID / idempotency key.
import type { Clock } from '../domain/clock.ts';
import { addSeconds } from '../domain/clock.ts';
import type { Db } from '../store/db.ts';
import type { Channels } from './channels/index.ts';

interface ClaimedRow {
  id: string;
  channel: 'email' | 'sms' | 'pec';
  recipient: string;
  kind: string;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  attempts: number;
  give_up_at: Date;
}

export interface OutboxWorkerOptions {
  db: Db;
  clock: Clock;
  channels: Channels;
  logger?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  batchSize?: number;
  leaseSeconds?: number;
}

const firstRetrySeconds = 5;
const maxRetrySeconds = 60 * 60;

export function retryDelaySeconds(attempts: number): number {
  return Math.min(firstRetrySeconds * 2 ** Math.max(0, attempts - 1), maxRetrySeconds);
}

export function createOutboxWorker(options: OutboxWorkerOptions) {
  const { db, clock, channels } = options;
  const batchSize = options.batchSize ?? 200;
  const leaseSeconds = options.leaseSeconds ?? 60;

  async function claim(): Promise<ClaimedRow[]> {
    const now = clock.now();
    const claimed = await db.query<ClaimedRow>(
      `UPDATE outbox SET next_attempt_at = $2, attempts = attempts + 1
       WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1
                    ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, channel, recipient, kind, subject, body_text, body_html, attempts, give_up_at`,
      [now, addSeconds(now, leaseSeconds), batchSize],
    );
    return claimed.rows;
  }

  /** One statement for the whole batch: delivery rate is bounded by round trips, not rows. */
  async function markSent(sent: { id: string; providerId: string }[]): Promise<void> {
    if (sent.length === 0) return;
    // Bodies that carried a secret are erased once delivered; the metadata stays (S5).
    await db.query(
      `UPDATE outbox SET status = 'sent', sent_at = $3::timestamptz, provider_id = delivered.provider_id,
         body_text = CASE WHEN holds_secret THEN NULL ELSE body_text END,
         body_html = CASE WHEN holds_secret THEN NULL ELSE body_html END,
         body_erased_at = CASE WHEN holds_secret THEN $3::timestamptz ELSE NULL END
       FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::text[]) AS provider_id) AS delivered
       WHERE outbox.id = delivered.id`,
      [sent.map((s) => s.id), sent.map((s) => s.providerId), clock.now()],
    );
  }

  async function markFailedAttempt(row: ClaimedRow, error: unknown): Promise<void> {
    const now = clock.now();
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'delivery failed';
    if (now >= row.give_up_at) {
      await db.query(`UPDATE outbox SET status = 'failed', last_error = $2 WHERE id = $1`, [row.id, reason]);
      options.logger?.error({ messageId: row.id, kind: row.kind, channel: row.channel }, 'message given up');
      return;
    }
    await db.query('UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1', [
      row.id, addSeconds(now, retryDelaySeconds(row.attempts)), reason,
    ]);
    options.logger?.warn({ messageId: row.id, kind: row.kind, channel: row.channel, attempts: row.attempts }, 'delivery will be retried');
  }

  async function deliver(row: ClaimedRow): Promise<{ id: string; providerId: string } | null> {
    try {
      const sent = await channels[row.channel].send({
        id: row.id, to: row.recipient, kind: row.kind, subject: row.subject, text: row.body_text ?? '', html: row.body_html,
      });
      return { id: row.id, providerId: sent.providerId };
    } catch (error) {
      await markFailedAttempt(row, error);
      return null;
    }
  }

  async function runOnce(): Promise<number> {
    const rows = await claim();
    const delivered = await Promise.all(rows.map(deliver));
    await markSent(delivered.filter((d): d is { id: string; providerId: string } => d !== null));
    return rows.length;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  return {
    runOnce,
    start(intervalMs: number): void {
      timer = setInterval(() => {
        running = running.then(runOnce).catch((error: unknown) => options.logger?.error({ err: error }, 'outbox worker failed'));
      }, intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
