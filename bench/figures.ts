// The shape of bench/results.json (issue 14): every figure with its unit and, where there is
// one, the reference it is judged against and value / reference.
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
 * The service as npm start runs it: V8's young generation capped at 4 MB a semi-space. The
 * default lets it grow to about a hundred MB under load; capped, peak RSS drops by ~130 MB
 * for a few more (cheap) scavenges of a heap whose objects are short-lived request garbage.
 */
export const serviceExecArgv: string[] = [...typeScriptExecArgv, '--max-semi-space-size=4'];
