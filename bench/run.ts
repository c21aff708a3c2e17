// npm run bench: every figure in one run, printed and written to bench-output/results.json.
// `npm run bench -- enrolment` (or any suite names) runs only those.
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchEnrolment } from './enrolment.bench.ts';
import { benchOutbox } from './outbox.bench.ts';
import { benchRecoveryTiming } from './recovery-timing.bench.ts';
import { benchSignIn } from './sign-in.bench.ts';

const suites: Record<string, () => Promise<Record<string, number>>> = {
  'sign-in': benchSignIn,
  outbox: benchOutbox,
  'recovery-timing': benchRecoveryTiming,
  enrolment: benchEnrolment,
};

const only = process.argv.slice(2);
const results: Record<string, Record<string, number>> = {};
for (const [name, run] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  results[name] = await run();
  console.table(results[name]);
}
mkdirSync('bench-output', { recursive: true });
writeFileSync('bench-output/results.json', `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
