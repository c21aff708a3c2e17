// Runs a TypeScript entry point in this process: on Node's own type stripping where the runtime
// has it (Node 22.18 and later), otherwise (an older Node, past its end of life) through the
// tsx loader. Usage: node scripts/ts.mjs src/main.ts [arguments…]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) throw new Error('usage: node scripts/ts.mjs <file.ts> [arguments…]');
if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
// The entry sees itself as the script, as if run by `node <file.ts>`.
process.argv = [process.argv[0], resolve(entry), ...rest];
await import(pathToFileURL(resolve(entry)).href);
