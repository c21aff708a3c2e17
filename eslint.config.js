// Lint rules that keep the architecture honest: no framework or database driver in the
// domain or in flow steps (ARCHITECTURE.md), no focused tests left behind.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers of ARCHITECTURE.md: web → flows → domain, adapters at the edge. Each source
// file falls in exactly one block below (an ESLint rule set twice for a file keeps only the
// last), so each block lists every ban its files keep.
const ban = {
  fastify: { group: ['fastify', '@fastify/*', 'fastify-plugin'], message: 'Only *.routes.ts and web/ (and app.ts, main.ts) may use Fastify.' },
  driver: { group: ['pg', '@electric-sql/pglite'], message: 'Only store/ talks to the database driver.' },
  web: { group: ['**/web/*', '**/web/**'], message: 'Only routes, views, messages and a flow\'s index.ts may import web/; steps and repos stay framework-free.' },
  flows: { group: ['**/flows/*', '**/flows/**'], message: 'Lower layers learn about flows only through the manifest (passed in by app.ts / main.ts).' },
  store: { group: ['**/store/*', '**/store/**'], message: 'The domain does no I/O.' },
  delivery: { group: ['**/delivery/*', '**/delivery/**'], message: 'The domain does no I/O.' },
};
const bans = (...names) => ({ 'no-restricted-imports': ['error', { patterns: names.map((name) => ban[name]) }] });
const tests = ['**/*.test.ts'];
// Files of a flow that face the web: they may use Fastify (routes) or web/ helpers (pages, texts).
const flowWebFiles = ['src/flows/**/*.routes.ts', 'src/flows/**/views/**', 'src/flows/*/index.ts', 'src/flows/manifest.ts',
  'src/flows/**/*.messages.ts', 'src/flows/**/*.field.ts'];

// SQL lives in *.repo.ts (and store/) only: a `.query(` anywhere else is a finding.
const sqlOutsideRepos = { selector: "CallExpression[callee.property.name='query']", message: 'SQL lives in *.repo.ts files (ARCHITECTURE.md).' };
const noFocusedTests = { selector: "CallExpression[callee.property.name='only']", message: 'No .only in committed tests.' };

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'test-output/', 'bench-output/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='only']", message: 'No .only in committed tests.' }],
    },
  },
  { files: ['src/**/*.ts'], ignores: ['**/*.repo.ts', 'src/store/**', ...tests],
    rules: { 'no-restricted-syntax': ['error', noFocusedTests, sqlOutsideRepos] } },
  { files: ['src/domain/**/*.ts'], ignores: tests, rules: bans('fastify', 'driver', 'web', 'flows', 'store', 'delivery') },
  { files: ['src/flows/**/*.ts'], ignores: [...flowWebFiles, ...tests], rules: bans('fastify', 'driver', 'web') },
  { files: ['src/delivery/**/*.ts'], ignores: tests, rules: bans('fastify', 'web', 'flows') },
  { files: ['src/web/**/*.ts'], ignores: tests, rules: bans('flows') },
  { files: ['src/store/**/*.ts', 'src/adapters/**/*.ts', 'src/dev/**/*.ts', 'src/config.ts'], ignores: [...tests, 'src/dev/**/*.routes.ts'], rules: bans('fastify') },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Inject the clock.' }] },
  },
);
