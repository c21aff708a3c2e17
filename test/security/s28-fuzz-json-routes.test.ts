// S28, S37, S24 and "bad input never yields a 5xx" (API.md), by property over EVERY operation
// of /openapi.json: hostile bodies built on the operation's own fields, hostile path
// segments and query strings, raw payloads no JSON library writes, and header abuse, each
// with no credentials, a citizen session, an operator or the platform admin.
// Every answer is below 500, shows no stack trace, SQL, path or library, and a request refused
// at the edge (400 invalid_request, 415, invalid_codice_fiscale, 403 cross-site) leaves the
// database exactly as it was. The answers also go through the OpenAPI contract check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { activateCitizen, adminToken, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseFingerprint, fuzzRuns, hostileBody, hostileHeaders, hostileRawPayload, hostileString, leakPattern } from '../helpers/fuzz.ts';
import { createOperator } from '../helpers/operator.ts';

interface Operation {
  method: string;
  path: string;
  fields: string[];
}

const refusedAtTheEdge = new Set(['invalid_request', 'unsupported_media_type', 'invalid_codice_fiscale', 'csrf_invalid']);
const password = 'Tramonto-Viola!Sul-Po7';
/** URLs carry UTF-8: a lone surrogate cannot be encoded, so it becomes U+FFFD (Node 20+). */
const wellFormed = (s: string) => (s as unknown as { toWellFormed(): string }).toWellFormed();

describe('S28 fuzz: every JSON operation', () => {
  let t: TestApp;
  let operations: Operation[];
  const auth: Record<string, Record<string, string>> = { none: {} };

  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', mobile: '+393331234567', password });
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password } });
    auth.citizen = { cookie: sessionCookieOf(signedIn) };
    auth.operator = { authorization: `Bearer ${await createOperator(t.app)}` };
    auth.admin = { authorization: `Bearer ${adminToken}` };
    auth.forged = { authorization: 'Bearer forged-token-0000000000000000' };
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(), path,
      fields: Object.keys(Object.values(op.requestBody?.content ?? {})[0]?.schema?.properties ?? {}),
    })));
  });
  after(() => t.close());

  const segment = hostileString.filter((s) => s.length > 0 && s.length < 2000).map((s) => encodeURIComponent(wellFormed(s)));
  const query = fc.option(fc.dictionary(fc.constantFrom('status', 'to', 'lang', 'after', 'limit', 'next', 'x', '_csrf'),
    hostileString.filter((s) => s.length < 2000).map(wellFormed), { maxKeys: 3 }), { nil: undefined });

  async function check(op: Operation, url: string, headers: Record<string, string>, payload: string | undefined) {
    const before = await databaseFingerprint(t.deps.db);
    const response = await t.app.inject({ method: op.method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) });
    const where = `${op.method} ${url.slice(0, 200)} [${headers['content-type']}] → ${response.statusCode} ${response.body.slice(0, 300)}`;
    assert.ok(response.statusCode < 500, where);
    assert.doesNotMatch(response.body, leakPattern, `S28: ${where}`);
    if (response.statusCode >= 400 && String(response.headers['content-type']).includes('json')) {
      const code = (response.json() as { code?: string }).code;
      assert.ok(code, `a problem document with a code: ${where}`);
      if (refusedAtTheEdge.has(code)) assert.equal(await databaseFingerprint(t.deps.db), before, `refused, yet the database changed: ${where}`);
    }
  }

  test('hostile bodies, paths, queries and headers never give a 5xx, a leak or a half-change', async () => {
    assert.ok(operations.length >= 40, `${operations.length} operations`);
    for (const op of operations) {
      const params = (op.path.match(/\{[^}]+\}/g) ?? []).length;
      await fc.assert(fc.asyncProperty(
        fc.array(segment, { minLength: params, maxLength: params }), query, hostileBody(op.fields), hostileHeaders,
        fc.constantFrom('none', 'citizen', 'operator', 'admin', 'forged'),
        async (segments, q, body, headers, who) => {
          let i = 0;
          const path = op.path.replace(/\{[^}]+\}/g, () => segments[i++]!);
          const url = q ? `${path}?${new URLSearchParams(q).toString()}` : path;
          const payload = op.method === 'GET' ? undefined : JSON.stringify(body);
          await check(op, url, { ...headers, ...auth[who] }, payload);
        },
      ), { numRuns: fuzzRuns });
    }
  });

  test('raw payloads no JSON library writes, on every state-changing operation', async () => {
    for (const op of operations.filter((o) => o.method !== 'GET')) {
      await fc.assert(fc.asyncProperty(hostileRawPayload, fc.constantFrom('none', 'citizen', 'operator', 'admin'), async (payload, who) => {
        const url = op.path.replace(/\{[^}]+\}/g, 'x');
        await check(op, url, { 'content-type': 'application/json', ...auth[who] }, payload);
      }), { numRuns: Math.max(3, Math.floor(fuzzRuns / 2)) });
    }
  });
});
