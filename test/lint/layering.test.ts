// The lint rules that keep the layers (eslint.config.js), proved on small snippets linted as
// if they sat at the named paths: each rule fails where it must and stays quiet where allowed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function findings(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const sql = "export const f = (db: { query(s: string): void }) => db.query('SELECT 1');\n";

test('SQL only in *.repo.ts and store/', async () => {
  assert.match((await findings('src/flows/pin/pin-change.steps.ts', sql)).join(), /SQL lives in \*\.repo\.ts/);
  assert.match((await findings('src/delivery/outbox.ts', sql)).join(), /SQL lives/);
  assert.deepEqual(await findings('src/flows/pin/pin.repo.ts', sql), []);
  assert.deepEqual(await findings('src/store/accounts.repo.ts', sql), []);
});

test('Fastify only in routes, web/, app.ts and main.ts', async () => {
  const fastify = "import type { FastifyInstance } from 'fastify';\nexport type A = FastifyInstance;\n";
  assert.match((await findings('src/flows/pin/pin-change.steps.ts', fastify)).join(), /Only \*\.routes\.ts and web\//);
  assert.match((await findings('src/delivery/outbox.ts', fastify)).join(), /Fastify/);
  assert.match((await findings('src/store/sessions.repo.ts', fastify)).join(), /Fastify/);
  assert.deepEqual(await findings('src/flows/pin/pin.routes.ts', fastify), []);
  assert.deepEqual(await findings('src/web/scopes.ts', fastify), []);
});

test('steps and repos of flows, and delivery, do not import web/; web/ does not import flows/', async () => {
  const web = "import { html } from '../../web/html.ts';\nexport const x = html;\n";
  assert.match((await findings('src/flows/pin/pin-change.steps.ts', web)).join(), /may import web/);
  assert.match((await findings('src/flows/pin/pin.repo.ts', web)).join(), /may import web/);
  assert.match((await findings('src/delivery/templates/index.ts', "import { html } from '../../web/html.ts';\nexport const x = html;\n")).join(), /web/);
  assert.deepEqual(await findings('src/flows/pin/views/pin.pages.ts', "import { html } from '../../../web/html.ts';\nexport const x = html;\n"), []);
  const flows = "import { pinFlow } from '../flows/pin/index.ts';\nexport const x = pinFlow;\n";
  assert.match((await findings('src/web/scopes.ts', flows)).join(), /through the manifest/);
  assert.match((await findings('src/delivery/outbox.ts', flows)).join(), /through the manifest/);
});
