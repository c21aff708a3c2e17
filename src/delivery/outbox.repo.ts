// The outbox worker's SQL. Every write after the claim is fenced: `status = 'pending'` so a
// late worker cannot undo a delivery, and for failures `attempts = <claimed value>` so a worker
// whose lease expired does not overwrite the outcome of the worker that claimed the row next.
import type { Queryable } from '../store/db.ts';
import type { Channel } from './message.ts';

export interface ClaimedRow {
  id: string;
  channel: Channel;
  recipient: string;
  kind: string;
  subject: string | null;
  body_text: string | null;
  body_html: string | null;
  attempts: number;
  give_up_at: Date;
}

/**
 * Claims due messages and leases them in one statement (its own short transaction).
 * SKIP LOCKED lets concurrent workers, on any instance, pass over rows another is claiming
 * instead of waiting; the lease (next_attempt_at pushed forward) keeps them away afterwards,
 * and if this worker dies the lease simply runs out and the row is due again.
 */
export async function claimDue(db: Queryable, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedRow[]> {
  const claimed = await db.query<ClaimedRow>(
    `WITH due AS (
       SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1
       ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE outbox SET next_attempt_at = $2, attempts = outbox.attempts + 1
     FROM due WHERE outbox.id = due.id
     RETURNING outbox.id, channel, recipient, kind, subject, body_text, body_html, attempts, give_up_at`,
    [now, leaseUntil, limit],
  );
  return claimed.rows;
}

// Bodies that carried a secret are erased once they are of no more use; the metadata stays (S5).
const eraseSecretBody = `body_text = CASE WHEN holds_secret THEN NULL ELSE body_text END,
  body_html = CASE WHEN holds_secret THEN NULL ELSE body_html END,
  body_erased_at = CASE WHEN holds_secret THEN $3::timestamptz ELSE body_erased_at END`;

/**
 * One statement for the whole batch: delivery rate is bounded by round trips, not rows.
 * `id = ANY` keeps it to primary-key lookups; a join on unnest() let the planner hash every
 * pending row, so marking got slower as the backlog grew.
 */
export async function markSent(db: Queryable, sent: { id: string; providerId: string }[], now: Date): Promise<void> {
  if (sent.length === 0) return;
  await db.query(
    `UPDATE outbox SET status = 'sent', sent_at = $3::timestamptz,
       provider_id = ($2::text[])[array_position($1::uuid[], id)], ${eraseSecretBody}
     WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
    [sent.map((s) => s.id), sent.map((s) => s.providerId), now],
  );
}

export async function scheduleRetry(db: Queryable, row: ClaimedRow, nextAttemptAt: Date, reason: string): Promise<void> {
  await db.query(
    `UPDATE outbox SET next_attempt_at = $3, last_error = $4
     WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
    [row.id, row.attempts, nextAttemptAt, reason],
  );
}

/**
 * Gives up on messages that used every attempt without an outcome: a message whose delivery
 * kills its worker leaves only an expired lease behind, and would otherwise be claimed for ever.
 */
export async function failExhausted(db: Queryable, now: Date, maxAttempts: number): Promise<number> {
  const result = await db.query(
    `UPDATE outbox SET status = 'failed', last_error = COALESCE(last_error, 'no outcome') || ' (gave up after ' || attempts || ' attempts)', ${eraseSecretBody.replaceAll('$3', '$1')}
     WHERE status = 'pending' AND attempts >= $2 AND next_attempt_at <= $1`,
    [now, maxAttempts],
  );
  return result.rowCount ?? 0;
}

/** Gives up: operators see `failed` with the reason; a secret nobody received is erased too. */
export async function markFailed(db: Queryable, row: ClaimedRow, now: Date, reason: string): Promise<void> {
  await db.query(
    `UPDATE outbox SET status = 'failed', last_error = $4, ${eraseSecretBody}
     WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
    [row.id, row.attempts, now, reason],
  );
}

export interface MailboxRow {
  message_id: string;
  channel: string;
  recipient: string;
  kind: string;
  subject: string | null;
  body_text: string;
  created_at: Date;
}

/** The development mailbox: one recipient's messages oldest first, or the latest of all newest first. */
export async function readDevMailbox(db: Queryable, recipient?: string): Promise<MailboxRow[]> {
  const rows = recipient === undefined
    ? await db.query<MailboxRow>('SELECT * FROM dev_mailbox ORDER BY seq DESC LIMIT 200')
    : await db.query<MailboxRow>('SELECT * FROM dev_mailbox WHERE recipient = $1 ORDER BY seq', [recipient]);
  return rows.rows;
}

/** Writes a rendered message into the outbox (and the development mailbox); returns its id. */
export interface OutboxRow {
  channel: Channel; to: string; kind: string; language: string; subject: string | null; text: string; html: string | null; holdsSecret: boolean;
}

export async function insertOutboxMessage(
  tx: Queryable,
  message: OutboxRow,
  now: Date,
  giveUpAt: Date,
  devMailbox: boolean,
): Promise<void> {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO outbox (channel, recipient, kind, language, subject, body_text, body_html, holds_secret,
                         next_attempt_at, give_up_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9) RETURNING id`,
    [message.channel, message.to, message.kind, message.language, message.subject, message.text, message.html, message.holdsSecret, now, giveUpAt],
  );
  if (devMailbox) {
    await tx.query(
      `INSERT INTO dev_mailbox (message_id, channel, recipient, kind, subject, body_text, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [inserted.rows[0]?.id, message.channel, message.to, message.kind, message.subject, message.text, now],
    );
  }
}

/**
 * Many messages in one statement (bulk enrolment); the development copy rides in the same
 * statement as a data-modifying CTE. A bulk send is mostly one text to many recipients, so
 * each distinct subject and body travels once and the rows point at it by index: the
 * statement's size follows the recipients, not recipients × body.
 */
export async function insertOutboxMessages(tx: Queryable, rows: readonly OutboxRow[], now: Date, giveUpAt: Date, devMailbox: boolean): Promise<void> {
  // Rows of one render share the very same strings: looking them up hashes each string once
  // and builds no key per row.
  const bodies: OutboxRow[] = [];
  const byText = new Map<string, number[]>();
  // The rows travel as ONE json parameter, read with json_to_recordset: the driver would
  // escape a text[] element by element in JavaScript, most of the garbage of a bulk send.
  const messages = JSON.stringify(rows.map((row) => {
    const candidates = byText.get(row.text) ?? [];
    let index = candidates.find((i) => bodies[i]!.subject === row.subject && bodies[i]!.html === row.html);
    if (index === undefined) {
      index = bodies.push(row) - 1;
      byText.set(row.text, [...candidates, index]);
    }
    return { c: row.channel, r: row.to, k: row.kind, l: row.language, b: index + 1, s: row.holdsSecret }; // SQL arrays count from 1
  }));
  const insert = `INSERT INTO outbox (channel, recipient, kind, language, subject, body_text, body_html, holds_secret,
                         next_attempt_at, give_up_at, created_at)
       SELECT m.c, m.r, m.k, m.l, ($2::text[])[m.b], ($3::text[])[m.b], ($4::text[])[m.b], m.s, $5, $6, $5
       FROM json_to_recordset($1::json) AS m (c text, r text, k text, l text, b int, s boolean)`;
  // Without the development copy, a plain insert: nothing to return, nothing to materialise.
  const sql = devMailbox
    ? `WITH inserted AS (${insert} RETURNING id, channel, recipient, kind, subject, body_text, created_at),
       copied AS (INSERT INTO dev_mailbox (message_id, channel, recipient, kind, subject, body_text, created_at)
         SELECT id, channel, recipient, kind, subject, body_text, created_at FROM inserted)
       SELECT count(*) FROM inserted`
    : insert;
  await tx.query(sql, [messages, bodies.map((b) => b.subject), bodies.map((b) => b.text), bodies.map((b) => b.html), now, giveUpAt]);
}
