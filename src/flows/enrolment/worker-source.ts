// Where enrolment rows come from: a CSV stream parsed as it arrives (csv-parse, never the
// whole file in memory) or the array of a JSON body. Both yield raw rows numbered from 1, the
// first worker; the header row of a CSV is not counted.
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { mapHeader, type WorkerField } from './worker-row.ts';

export type RawRow =
  | { row: number; fields: Partial<Record<WorkerField, unknown>> }
  | { row: number; malformed: 'malformed_row' | 'malformed_csv' };

export async function* jsonRows(workers: readonly Record<string, unknown>[]): AsyncGenerator<RawRow> {
  let row = 0;
  for (const worker of workers) yield { row: ++row, fields: worker as Partial<Record<WorkerField, unknown>> };
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

/**
 * Rows of a CSV upload. The parser is piped from the request, so a slow consumer (the
 * database) pauses the upload instead of letting it pile up in memory.
 */
export async function* csvRows(body: Readable): AsyncGenerator<RawRow> {
  const skips: number[] = []; // for each skipped record, how many records were emitted before it
  const parser = csvParser((recordsBefore) => skips.push(recordsBefore));
  body.on('error', (error) => parser.destroy(error));
  body.pipe(parser);
  let header: (WorkerField | null)[] | null = null;
  let emitted = 0;
  let row = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    emitted++;
    while (skips.length > 0 && skips[0]! < emitted) {
      skips.shift();
      if (header) yield { row: ++row, malformed: 'malformed_csv' };
    }
    if (!header) {
      header = mapHeaderOrThrow(record);
      continue;
    }
    row++;
    if (record.length !== header.length) {
      yield { row, malformed: 'malformed_row' };
      continue;
    }
    const fields: Partial<Record<WorkerField, string>> = {};
    header.forEach((field, i) => { if (field) fields[field] = record[i]; });
    yield { row, fields };
  }
  if (!header) throw new BadHeaderError('the file has no header row');
  for (let i = 0; i < skips.length; i++) yield { row: ++row, malformed: 'malformed_csv' };
}

function mapHeaderOrThrow(record: string[]): (WorkerField | null)[] {
  try {
    return mapHeader(record);
  } catch (error) {
    throw new BadHeaderError(error instanceof Error ? error.message : 'bad header');
  }
}
