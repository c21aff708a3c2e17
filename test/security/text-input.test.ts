// S37: text input with NUL, lone surrogates or other controls is a 400 naming the field,
// on every route and form. Regressions: a NUL in the assistance `message`, a NUL or lone
// surrogate in the desk `note` and `/dev/outbox?to=%00` answered 500.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { pdf } from '../helpers/documents.ts';
import { multipart } from '../helpers/multipart.ts';
import { createOperator } from '../helpers/operator.ts';

describe('S37 unclean text', () => {
  let t: TestApp;
  let operatorToken: string;
  before(async () => {
    t = await startTestApp();
    operatorToken = await createOperator(t.app);
  });
  after(() => t.close());

  const fieldOf = (body: string) => (JSON.parse(body) as { errors?: { field: string }[] }).errors?.[0]?.field;

  test('a NUL in the multipart assistance message', async () => {
    const form = multipart({ codiceFiscale: 'RSSMRA85T10A562S', email: 'a@example.it', category: 'other', message: 'aiuto\u0000' },
      { name: 'document', filename: 'doc.pdf', type: 'application/pdf', bytes: pdf() });
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/assistance/requests', ...form });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(fieldOf(response.body), 'message');
  });

  test('a NUL or a lone surrogate in the desk note', async () => {
    for (const note of ['nota\u0000', 'nota\ud800']) {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/desk/accounts/RSSMRA85T10A562S/temporary-password',
        headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ identityVerified: true, note }) });
      assert.deepEqual([response.statusCode, fieldOf(response.body)], [400, 'note'], JSON.stringify(note));
    }
  });

  test('/dev/outbox?to=%00', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/dev/outbox?to=%00' });
    assert.deepEqual([response.statusCode, fieldOf(response.body)], [400, 'to']);
  });

  test('a form field with a control character re-renders as a 400 page, not a 500', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'method=password&codiceFiscale=%00&password=x' });
    assert.equal(response.statusCode, 400);
  });

  test('every JSON operation of the contract answers 400, never 5xx, to a NUL or a lone surrogate in any string', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    let checked = 0;
    let rejected = 0;
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const method of Object.keys(methods)) {
        const url = path.replace(/\{[^}]+\}/g, 'RSSMRA85T10A562S');
        for (const [bad, encoded] of [['\u0000', '%00'], ['\ud800', '%ED%A0%80'], ['\u001b[31m', '%1B%5B31m']] as const) {
          const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
          const response = ['get', 'delete'].includes(method)
            ? await t.app.inject({ method: method.toUpperCase() as 'GET', url: `${url}?q=${encoded}`, headers: { authorization: headers.authorization } })
            : await t.app.inject({ method: method.toUpperCase() as 'POST', url, headers, payload: JSON.stringify({ codiceFiscale: `RSSMRA85T10A562S${bad}`, note: bad }) });
          assert.ok(response.statusCode < 500, `${method} ${path}: ${response.statusCode}`);
          // A route that refuses the platform admin's token does so before reading the body.
          const authRefusal = response.statusCode === 401 || response.statusCode === 403;
          if (!['get', 'delete'].includes(method) && !path.includes('{') && !authRefusal) {
            assert.equal(response.statusCode, 400, `${method} ${path}`);
            rejected += 1;
          }
          checked += 1;
        }
      }
    }
    assert.ok(checked > 30, `${checked} requests`);
    assert.ok(rejected > 20, `${rejected} bodies refused as unclean text`);
  });
});
