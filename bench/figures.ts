// The shape of bench/results.json (issue 14): every figure with its unit and, where there is
// one, the reference it is judged against and value / reference.
import { readFileSync } from 'node:fs';
export interface Figure {
  name: string;
  value: number;
  unit: string;
  reference?: number;
  ratio?: number;
}

export function figure(name: string, value: number, unit: string, reference?: number): Figure {
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Number(value.toFixed(4));
  return {
    name, value: rounded, unit,
    ...(reference === undefined ? {} : { reference: Number(reference.toFixed(4)) }),
    ...(reference ? { ratio: Number((value / reference).toFixed(3)) } : {}),
  };
}

/** The older suites report a flat record: each entry becomes `<suite>.<key>`, its unit read off the name. */
export function fromRecord(suite: string, record: Record<string, number>): Figure[] {
  const unitOf = (key: string) => (/per_s$/.test(key) ? '/s' : /_ms$/.test(key) ? 'ms' : /_mb$/.test(key) ? 'MB' : /seconds$/.test(key) ? 's' : /ratio/.test(key) ? 'x' : 'count');
  return Object.entries(record).map(([key, value]) => figure(`${suite}.${key}`, value, unitOf(key)));
}

/** How a bench child process loads TypeScript: Node's own type stripping where it has it (as npm start), else tsx. */
export const typeScriptExecArgv: string[] = process.features.typescript ? [] : ['--import', 'tsx'];

/**
 * The service as npm start runs it: the Node flags of package.json's `start` script, so that
 * the bench measures the service as it runs. Two matter: `--max-semi-space-size` caps V8's
 * young generation, which under load otherwise grows to its maximum (about a hundred MB of
 * RSS on Node 24 by itself) though what a request keeps alive is a few kilobytes; and
 * `--max-old-space-size` lowers how far V8 lets the old generation grow between full
 * collections (README, Memory).
 */
export const serviceExecArgv: string[] = [...typeScriptExecArgv, ...startScriptFlags()];

function startScriptFlags(): string[] {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  return manifest.scripts.start.match(/--[\w-]+=\S+/g) ?? [];
}
