// Lint rules that keep the architecture honest: no framework or database driver in the
// domain or in flow steps (ARCHITECTURE.md), no focused tests left behind.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layeringBan = {
  patterns: [
    { group: ['fastify', '@fastify/*', 'fastify-plugin'], message: 'Only *.routes.ts and web/ may use Fastify.' },
    { group: ['pg', '@electric-sql/pglite'], message: 'Only store/ talks to the database driver.' },
  ],
};

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
  { files: ['src/domain/**/*.ts', 'src/flows/**/*.steps.ts'], rules: { 'no-restricted-imports': ['error', layeringBan] } },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Inject the clock.' }] },
  },
);
