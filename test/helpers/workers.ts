// Workers for enrolment tests and the benchmark: distinct valid codici fiscali by the
// thousand, and the CSV an administration's spreadsheet would export.
import { checkCharacter } from '../../src/domain/codice-fiscale.ts';

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The i-th of 308 million distinct personal codici fiscali (surname and name letters vary). */
export function workerCodiceFiscale(i: number): string {
  let name = '';
  for (let n = i, k = 0; k < 6; k++, n = Math.floor(n / 26)) name = letters[n % 26] + name;
  const first15 = `${name}85T10H501`;
  return first15 + checkCharacter(first15);
}

export function workerCsvLine(i: number, separator = ','): string {
  return [workerCodiceFiscale(i), 'Nicolò', `D'Angelo ${letters[i % 26]}`, `worker${i}@example.it`, `33${String(i).padStart(8, '0')}`].join(separator);
}

export const workerCsvHeader = 'codiceFiscale,firstName,lastName,email,mobile';

/** A CSV of `count` workers, produced lazily so that 100,000 rows never sit in one string. */
export function* workerCsv(count: number, start = 0): Generator<string> {
  yield `${workerCsvHeader}\n`;
  const batch: string[] = [];
  for (let i = start; i < start + count; i++) {
    batch.push(workerCsvLine(i));
    if (batch.length === 1000) yield `${batch.splice(0).join('\n')}\n`;
  }
  if (batch.length > 0) yield `${batch.join('\n')}\n`;
}
