// npm run bench: every figure in one run, printed as a table and written to bench/results.json
// (not committed) as { machine, figures: [{ name, value, unit, reference?, ratio? }] }.
// `npm run bench -- outbox` (or any suite names) runs only those. PostgreSQL at
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); BENCH_SECONDS per load run.
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { benchEnrolment } from './enrolment.bench.ts';
import { fromRecord, type Figure } from './figures.ts';
import { benchOutbox } from './outbox.bench.ts';
import { benchService } from './sign-in.bench.ts';

process.env.BENCH_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
process.env.BENCH_PORT ??= '4601';

const suites: Record<string, () => Promise<Figure[]>> = {
  service: benchService,
  outbox: async () => fromRecord('outbox', await benchOutbox()),
  enrolment: benchEnrolment,
};

const only = process.argv.slice(2);
const machine = {
  cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', memoryMb: Math.round(totalmem() / 2 ** 20),
  node: process.version, database: process.env.BENCH_DB === 'pglite' ? 'pglite' : 'postgres',
  loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))), startedAt: new Date().toISOString(),
  loadAverageAtEnd: [] as number[],
};
const figures: Figure[] = [];
for (const [name, run] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  const suiteFigures = await run();
  figures.push(...suiteFigures);
  console.table(suiteFigures);
}
machine.loadAverageAtEnd = loadavg().map((l) => Number(l.toFixed(2)));
console.log(`\nload average ${machine.loadAverageAtStart.join(' ')} → ${machine.loadAverageAtEnd.join(' ')} on ${machine.cores} cores`);
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ machine, figures }, null, 2)}\n`);
