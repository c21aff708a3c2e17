// An uploaded CSV becomes a job: the file is streamed to disk as it arrives (never whole in
// memory), a row is queued, and the job runs in the background through the same enrolment
// steps as the API, recording its progress (the share of the file's bytes read) after every
// chunk it commits. The status page reads that row; the file is deleted when the job ends.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../domain/errors.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { findAdministration } from '../enrolment/enrolment.repo.ts';
import { enrolWorkers } from '../enrolment/enrolment.steps.ts';
import { BadHeaderError, csvRows } from '../enrolment/worker-source.ts';
import { failSilentJobs, finishJob, insertJob, liveJobFiles, recordProgress, startJob, type JobRow } from './enrolment-jobs.repo.ts';
import { uuidFrom } from '../../domain/uuid.ts';

/** As the API's own body limit: 100,000 rows of about 120 bytes with room to spare. */
export const maxUploadBytes = 32 * 1024 * 1024;
/** A job that showed no progress for this long was interrupted (the service restarted). */
export const silentJobSeconds = 10 * 60;

export type JobView = JobRow['state'] | 'interrupted';
/** The failure of a job ended by the sweep (its process went away mid-job). */
const interruptedFailure = 'interrupted';

function uploadDir(deps: Pick<FlowDeps, 'config'>): string {
  return join(deps.config.dataDir, 'enrolment-uploads');
}

/** The state as the administration should read it: a running job that went silent is interrupted. */
export function jobView(job: Pick<JobRow, 'state' | 'failure' | 'created_at' | 'progress_at'>, now: Date): JobView {
  if (job.state === 'failed' && job.failure === interruptedFailure) return 'interrupted';
  if (job.state === 'done' || job.state === 'failed') return job.state;
  const lastSign = job.progress_at ?? job.created_at;
  return now.getTime() - lastSign.getTime() > silentJobSeconds * 1000 ? 'interrupted' : job.state;
}

/** Whole percent of the file read; 100 only once the job is done. */
export function jobPercent(job: Pick<JobRow, 'state' | 'bytes_read' | 'file_bytes'>): number {
  if (job.state === 'done') return 100;
  if (job.file_bytes <= 0) return 0;
  return Math.min(99, Math.floor((job.bytes_read / job.file_bytes) * 100));
}

/** Reading a failure back: `missing_column:mobile`, `no_header` or `internal`. */
export function failureOf(error: unknown): string {
  if (!(error instanceof BadHeaderError)) return 'internal';
  const column = /no (\w+) column/.exec(error.message)?.[1];
  return column ? `missing_column:${column}` : 'no_header';
}

/** Stores the upload and queues its job; returns the job id. `truncated` tells a file cut at the size limit. */
export async function queueUpload(
  deps: FlowDeps, administrationId: string, upload: { fileName: string; stream: Readable; truncated: () => boolean }, meta: RequestMeta,
): Promise<string> {
  const id = uuidFrom(deps.random);
  await mkdir(uploadDir(deps), { recursive: true, mode: 0o700 });
  const filePath = join(uploadDir(deps), `${id}.csv`);
  try {
    await pipeline(upload.stream, createWriteStream(filePath, { flags: 'wx', mode: 0o600 }));
    if (upload.truncated()) throw new AppError('invalid_request', { errors: [{ field: 'file', message: 'too large' }], reason: 'too_large' });
    const { size } = await stat(filePath);
    if (size === 0) throw new AppError('invalid_request', { errors: [{ field: 'file', message: 'empty' }], reason: 'empty' });
    await insertJob(deps.db, { id, administrationId, fileName: upload.fileName.slice(0, 200), filePath, fileBytes: size }, deps.clock.now());
  } catch (error) {
    await unlink(filePath).catch(() => undefined);
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('invalid_request', { errors: [{ field: 'file', message: 'too large' }], reason: 'too_large' });
    }
    throw error;
  }
  scheduleJob(deps, id, meta);
  return id;
}

// Jobs of this process run one after the other: an upload costs two database connections
// while it runs, and a burst of uploads should not take the pool from sign-ins.
let queue: Promise<void> = Promise.resolve();

function scheduleJob(deps: FlowDeps, id: string, meta: RequestMeta): void {
  queue = queue.then(() => runJob(deps, id, meta)); // runJob never throws: the chain never breaks
}

/** Resolves when every job scheduled so far has ended (tests, shutdown). */
export async function jobsSettled(): Promise<void> {
  await queue;
}

function countBytes(onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      onBytes(total);
      callback(null, chunk);
    },
  });
}

/** Never throws: whatever happens ends as the job's state. */
async function runJob(deps: FlowDeps, id: string, meta: RequestMeta): Promise<void> {
  let job: JobRow | null = null;
  try {
    job = await startJob(deps.db, id, deps.clock.now());
    if (!job?.file_path) return;
    const administration = await findAdministration(deps.db, job.administration_id);
    if (!administration) throw new Error('administration gone');
    let bytesRead = 0;
    const source = createReadStream(job.file_path).pipe(countBytes((total) => { bytesRead = total; }));
    const summary = await enrolWorkers(deps, administration, csvRows(source), meta, {
      onChunkStored: ({ rowsRead, summary: soFar }) => recordProgress(deps.db, id,
        { bytesRead, rowsRead, created: soFar.created, updated: soFar.updated, unchanged: soFar.unchanged }, deps.clock.now()),
    });
    await finishJob(deps.db, id, { state: 'done', ...summary, failure: null }, deps.clock.now());
  } catch (error) {
    await finishJob(deps.db, id, { state: 'failed', rejected: [], failure: failureOf(error) }, deps.clock.now())
      .catch(() => undefined); // the database itself is gone: the status page will call the job interrupted
  } finally {
    if (job?.file_path) await unlink(job.file_path).catch(() => undefined);
  }
}

/**
 * Housekeeping (on start and hourly, main.ts): a job whose process was killed mid-upload or
 * mid-job never reaches runJob's `finally`. Jobs silent for `silentJobSeconds` are ended as
 * interrupted and their files deleted; so is any upload file no live job needs that nobody
 * has written for as long (a process killed while the file was still arriving, before its
 * job row existed). Returns how many files were deleted.
 */
export async function sweepInterruptedJobs(deps: Pick<FlowDeps, 'db' | 'clock' | 'config'>): Promise<number> {
  const now = deps.clock.now();
  const silentSince = new Date(now.getTime() - silentJobSeconds * 1000);
  const leftOver = new Set(await failSilentJobs(deps.db, silentSince, now));
  const needed = await liveJobFiles(deps.db);
  const names = await readdir(uploadDir(deps)).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(uploadDir(deps), name);
    if (needed.has(path) || leftOver.has(path)) continue;
    const written = await stat(path).then((file) => file.mtime, () => null);
    if (written && written < silentSince) leftOver.add(path);
  }
  let deleted = 0;
  for (const path of leftOver) if (await unlink(path).then(() => true, () => false)) deleted++;
  return deleted;
}
