// The contract check of test/helpers/openapi-contract.ts catches what it must: an
// undocumented status, an undocumented media type, a body off its schema, an unknown
// problem code, and an API path missing from the description. And the description documents
// the problem responses of every operation, with 204 where the service answers 204.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { contractViolations } from '../helpers/openapi-contract.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

describe('OpenAPI contract', () => {
  let t: TestApp;
  let doc: Parameters<typeof contractViolations>[0];
  before(async () => {
    t = await startTestApp();
    doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  after(() => t.close());

  const seen = (status: number, body: unknown, url = '/api/v1/session', method = 'POST', contentType = 'application/json') =>
    ({ method, url, status, contentType, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const problem = (status: number, code: string) => ({ type: `urn:varco:problem:${code}`, title: 't', status, code });

  test('agreeing responses pass', () => {
    assert.deepEqual(contractViolations(doc, [
      seen(200, { codiceFiscale: 'RSSMRA85T10A562S', requiredActions: [] }),
      seen(401, problem(401, 'invalid_credentials'), '/api/v1/session', 'POST', 'application/problem+json'),
      seen(204, '', '/api/v1/session', 'DELETE', ''),
      seen(200, '<html></html>', '/dev/outbox', 'GET', 'text/html; charset=utf-8'),
      seen(200, '', '/signin', 'GET', 'text/html'),
    ]), []);
  });

  test('each kind of disagreement is caught', () => {
    const violations = contractViolations(doc, [
      seen(201, { codiceFiscale: 'x', requiredActions: [] }),
      seen(401, problem(401, 'invalid_credentials'), '/api/v1/session', 'POST', 'text/html'),
      seen(200, { codiceFiscale: 7 }),
      seen(401, problem(401, 'forbidden'), '/api/v1/session', 'POST', 'application/problem+json'),
      seen(200, { ok: true }, '/api/v1/not-described', 'GET'),
      seen(204, 'body', '/api/v1/session', 'DELETE', 'text/plain'),
    ]);
    assert.equal(violations.length, 6, violations.join('\n'));
  });

  test('every operation documents its problem responses and a success status', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses ?? {});
        assert.ok(statuses.some((s) => /^2/.test(s)), `${method} ${path} documents no success: ${statuses}`);
        assert.ok(statuses.includes('400') && statuses.includes('503'), `${method} ${path}: ${statuses}`);
        if (method !== 'get') assert.ok(statuses.includes('415'), `${method} ${path} refuses other media types (S24)`);
      }
    }
  });

  test('204 where the service answers 204; the mailbox page documented as text/html', () => {
    for (const [method, path] of [['delete', '/api/v1/session'], ['post', '/api/v1/me/password'], ['post', '/api/v1/me/pin/revoke'],
      ['post', '/api/v1/recovery/password/complete'], ['delete', '/api/v1/admin/oidc/clients/{clientId}']] as const) {
      const responses = doc.paths[path]?.[method]?.responses ?? {};
      assert.ok(responses['204'] && !responses['200'], `${method} ${path}: ${Object.keys(responses)}`);
      assert.equal(responses['204'].content, undefined);
    }
    assert.ok(doc.paths['/dev/outbox']?.get?.responses?.['200']?.content?.['text/html']);
  });
});
