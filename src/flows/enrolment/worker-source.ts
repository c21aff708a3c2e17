// Where enrolment rows come from: a CSV stream parsed as it arrives (csv-parse, never the
// whole file in memory) or the array of a JSON body. Both yield raw rows numbered from 1, the
// first worker; the header row of a CSV is not counted. Rows come in batches of a few hundred:
// one promise per batch instead of two per row (the async iterator of a stream and a
// generator), which with 100,000 rows was a large share of the garbage.
import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { mapHeader, type WorkerField } from './worker-row.ts';

export type RawRow =
  | { row: number; fields: Partial<Record<WorkerField, unknown>> }
  | { row: number; malformed: 'malformed_row' | 'malformed_csv' };

/** Rows per batch: small enough to keep memory flat, big enough that a batch's promise costs nothing. */
const batchSize = 500;

export async function* jsonRows(workers: readonly Record<string, unknown>[]): AsyncGenerator<RawRow[]> {
  for (let start = 0; start < workers.length; start += batchSize) {
    yield workers.slice(start, start + batchSize).map((worker, i) => ({ row: start + i + 1, fields: worker as Partial<Record<WorkerField, unknown>> }));
  }
}

/** Thrown for a header that lacks a required column: nothing has been stored yet. */
export class BadHeaderError extends Error {}

function csvParser(onSkip: (recordsBefore: number) => void) {
  return parse({
    bom: true, // Excel writes UTF-8 with a byte-order mark
    delimiter: [',', ';'], // Italian spreadsheets export with semicolons
    relax_column_count: true, // a short or long row is one rejection, not the end of the file
    relax_quotes: true, // a stray quote inside an unquoted field (D"Angelo) is kept as text
    skip_empty_lines: true,
    trim: true,
    max_record_size: 4096,
    // A record the parser cannot read (an unclosed quote swallows the rest of the file) is
    // skipped, not fatal: the rows around it stand and the report names it.
    skip_records_with_error: true,
    on_skip: (error) => { onSkip(Number((error as { records?: number } | undefined)?.records ?? 0)); return undefined; },
  });
}

/** Groups records into arrays; holds at most one array waiting, so the parser (and the upload) pause behind it. */
function batches(size: number): Transform {
  let batch: string[][] = [];
  return new Transform({
    objectMode: true, readableHighWaterMark: 1,
    transform(record: string[], _encoding, callback) {
      batch.push(record);
      if (batch.length < size) return callback();
      const full = batch;
      batch = [];
      callback(null, full);
    },
    flush(callback) {
      callback(null, batch.length > 0 ? batch : null);
    },
  });
}

/**
 * Rows of a CSV upload. The parser is piped from the request, so a slow consumer (the
 * database) pauses the upload instead of letting it pile up in memory.
 */
export async function* csvRows(body: Readable): AsyncGenerator<RawRow[]> {
  const skips: number[] = []; // for each skipped record, how many records were emitted before it
  const parser = csvParser((recordsBefore) => skips.push(recordsBefore));
  const grouped = batches(batchSize);
  body.on('error', (error) => parser.destroy(error));
  parser.on('error', (error) => grouped.destroy(error));
  body.pipe(parser).pipe(grouped);
  let header: (WorkerField | null)[] | null = null;
  let emitted = 0;
  let row = 0;
  for await (const records of grouped as AsyncIterable<string[][]>) {
    const out: RawRow[] = [];
    for (const record of records) {
      emitted++;
      while (skips.length > 0 && skips[0]! < emitted) {
        skips.shift();
        if (header) out.push({ row: ++row, malformed: 'malformed_csv' });
      }
      if (!header) {
        header = mapHeaderOrThrow(record);
        continue;
      }
      row++;
      if (record.length !== header.length) out.push({ row, malformed: 'malformed_row' });
      else out.push({ row, fields: fieldsOf(header, record) });
    }
    if (out.length > 0) yield out;
  }
  if (!header) throw new BadHeaderError('the file has no header row');
  const trailing: RawRow[] = [];
  for (let i = 0; i < skips.length; i++) trailing.push({ row: ++row, malformed: 'malformed_csv' });
  if (trailing.length > 0) yield trailing;
}

function fieldsOf(header: readonly (WorkerField | null)[], record: readonly string[]): Partial<Record<WorkerField, string>> {
  const fields: Partial<Record<WorkerField, string>> = {};
  for (let i = 0; i < header.length; i++) {
    const field = header[i];
    if (field) fields[field] = record[i];
  }
  return fields;
}

function mapHeaderOrThrow(record: string[]): (WorkerField | null)[] {
  try {
    return mapHeader(record);
  } catch (error) {
    throw new BadHeaderError(error instanceof Error ? error.message : 'bad header');
  }
}
