// Runs a TypeScript entry point in this process: on Node's own type stripping where the runtime
// has it (Node 22.18 and later), otherwise (an older Node, past its end of life) through the
// tsx loader. Usage: node scripts/ts.mjs src/main.ts [arguments…]
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// libuv's thread pool (four threads unless told) runs the argon2 hashes, one per core at a time
// (src/adapters/argon2.hasher.ts): beyond two cores four threads would leave cores idle, or a
// file read would wait behind the hashes. So one thread per core and two spare, at least four,
// unless set. It must be set before the pool's first use, hence here, before the entry point is
// loaded; processes forked from this one inherit it.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism() + 2));

const [entry, ...rest] = process.argv.slice(2);
if (!entry) throw new Error('usage: node scripts/ts.mjs <file.ts> [arguments…]');
if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
// The entry sees itself as the script, as if run by `node <file.ts>`.
process.argv = [process.argv[0], resolve(entry), ...rest];
await import(pathToFileURL(resolve(entry)).href);
