// SQL of enrolment upload jobs (015). Every read is scoped to the administration: one never
// sees another's jobs, even by guessing an id.
import type { Queryable } from '../../store/db.ts';
import type { Rejection } from '../enrolment/worker-row.ts';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobRow {
  id: string;
  administration_id: string;
  state: JobState;
  file_name: string;
  file_path: string | null;
  file_bytes: number;
  bytes_read: number;
  rows_read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected_count: number;
  failure: string | null;
  created_at: Date;
  progress_at: Date | null;
  finished_at: Date | null;
}

const columns = `id, administration_id, state, file_name, file_path, file_bytes::float8 AS file_bytes, bytes_read::float8 AS bytes_read,
  rows_read, created, updated, unchanged, jsonb_array_length(rejected) AS rejected_count, failure, created_at, progress_at, finished_at`;

export async function insertJob(db: Queryable, job: { id: string; administrationId: string; fileName: string; filePath: string; fileBytes: number }, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO enrolment_jobs (id, administration_id, state, file_name, file_path, file_bytes, created_at)
     VALUES ($1, $2, 'queued', $3, $4, $5, $6)`,
    [job.id, job.administrationId, job.fileName, job.filePath, job.fileBytes, now],
  );
}

export async function findJob(db: Queryable, administrationId: string, id: string): Promise<JobRow | null> {
  const result = await db.query<JobRow>(`SELECT ${columns} FROM enrolment_jobs WHERE id = $1 AND administration_id = $2`, [id, administrationId]);
  return result.rows[0] ?? null;
}

export async function recentJobs(db: Queryable, administrationId: string, limit: number): Promise<JobRow[]> {
  const result = await db.query<JobRow>(
    `SELECT ${columns} FROM enrolment_jobs WHERE administration_id = $1 ORDER BY created_at DESC LIMIT $2`, [administrationId, limit]);
  return result.rows;
}

/** Queued → running, once: of two workers only one gets the job. */
export async function startJob(db: Queryable, id: string, now: Date): Promise<JobRow | null> {
  const result = await db.query<JobRow>(
    `UPDATE enrolment_jobs SET state = 'running', started_at = $2, progress_at = $2 WHERE id = $1 AND state = 'queued' RETURNING ${columns}`,
    [id, now],
  );
  return result.rows[0] ?? null;
}

export async function recordProgress(
  db: Queryable, id: string, progress: { bytesRead: number; rowsRead: number; created: number; updated: number; unchanged: number }, now: Date,
): Promise<void> {
  await db.query(
    `UPDATE enrolment_jobs SET bytes_read = $2, rows_read = $3, created = $4, updated = $5, unchanged = $6, progress_at = $7
     WHERE id = $1 AND state = 'running'`,
    [id, progress.bytesRead, progress.rowsRead, progress.created, progress.updated, progress.unchanged, now],
  );
}

export async function finishJob(
  db: Queryable, id: string,
  // A failed job keeps the counts of the chunks it committed before failing.
  outcome: { state: 'done' | 'failed'; created?: number; updated?: number; unchanged?: number; rejected: readonly Rejection[]; failure: string | null },
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE enrolment_jobs SET state = $2, created = COALESCE($3, created), updated = COALESCE($4, updated),
       unchanged = COALESCE($5, unchanged), rejected = $6::jsonb, failure = $7,
       bytes_read = CASE WHEN $2 = 'done' THEN file_bytes ELSE bytes_read END, file_path = NULL, finished_at = $8, progress_at = $8
     WHERE id = $1`,
    [id, outcome.state, outcome.created ?? null, outcome.updated ?? null, outcome.unchanged ?? null, JSON.stringify(outcome.rejected), outcome.failure, now],
  );
}

/** The rejection report of a finished job, in row order. */
export async function jobRejections(db: Queryable, administrationId: string, id: string): Promise<Rejection[] | null> {
  const result = await db.query<{ rejected: Rejection[] | string }>(
    'SELECT rejected FROM enrolment_jobs WHERE id = $1 AND administration_id = $2', [id, administrationId]);
  const row = result.rows[0];
  if (!row) return null;
  return typeof row.rejected === 'string' ? (JSON.parse(row.rejected) as Rejection[]) : row.rejected;
}

/**
 * Ends the jobs that went silent before `silentSince` (their process was killed or restarted)
 * as failed with `interrupted`, and returns the upload files they leave behind. A job still
 * being started or recorded by a live worker is skipped (SKIP LOCKED), not waited for.
 */
export async function failSilentJobs(db: Queryable, silentSince: Date, now: Date): Promise<string[]> {
  const result = await db.query<{ file_path: string | null }>(
    `WITH silent AS (
       SELECT id, file_path FROM enrolment_jobs
       WHERE state IN ('queued', 'running') AND COALESCE(progress_at, created_at) < $1
       FOR UPDATE SKIP LOCKED)
     UPDATE enrolment_jobs j SET state = 'failed', failure = 'interrupted', file_path = NULL, finished_at = $2, progress_at = $2
     FROM silent WHERE j.id = silent.id
     RETURNING silent.file_path`,
    [silentSince, now],
  );
  return result.rows.flatMap((row) => (row.file_path ? [row.file_path] : []));
}

/** Upload files that queued or running jobs still need. */
export async function liveJobFiles(db: Queryable): Promise<Set<string>> {
  const result = await db.query<{ file_path: string }>(
    `SELECT file_path FROM enrolment_jobs WHERE state IN ('queued', 'running') AND file_path IS NOT NULL`);
  return new Set(result.rows.map((row) => row.file_path));
}
