// Runs every *.test.ts under src/ and test/ with Node's own test runner (tsx loads TypeScript).
// Node 20's runner takes no glob, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

// Arguments pick files by a part of their path; `--skip=<part>` leaves such files out
// (CI's second pass, on the PostgreSQL server, skips what does not depend on the store).
const args = process.argv.slice(2);
const skips = args.filter((a) => a.startsWith('--skip=')).map((a) => a.slice('--skip='.length));
const filters = args.filter((a) => !a.startsWith('--skip='));
const files = ['src', 'test']
  .flatMap((dir) => findTests(dir))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .filter((file) => !skips.some((s) => file.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  // --no-wasm-code-gc: once, under Node 24.21 and heavy load, a test process holding PGlite
  // (WebAssembly) died at exit on a V8 check while freeing wasm code
  // ("jit_page_->allocations_.erase(addr) == 1") after all its tests had passed.
  ['--no-wasm-code-gc', '--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
