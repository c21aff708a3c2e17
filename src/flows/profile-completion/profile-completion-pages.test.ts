// The completion pages (issue 12): each at its requiredActionPages path, in order; a page that
// is not the current step sends to the current one; a finished step goes on to the next, then the area.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { activateCitizen, sessionCookieOf, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { latestCode } from '../../../test/helpers/first-access.ts';

const citizen = { codiceFiscale: 'BNCGLI90C55H501W', email: 'giulia@example.it', mobile: '3339876543', password: 'Girasole#Lago-Blu42' };

describe('profile completion pages', () => {
  let t: TestApp;
  let cookies: Record<string, string> = {};
  const remember = (response: LightMyRequestResponse) => { for (const c of response.cookies) cookies[c.name] = c.value; return response; };
  const header = () => Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ');
  const get = async (url: string) => remember(await t.app.inject({ method: 'GET', url, headers: { cookie: header() } }));
  const post = async (url: string, fields: Record<string, string>, from: LightMyRequestResponse) => {
    const csrf = /name="_csrf" value="([^"]+)"/.exec(from.body)?.[1];
    assert.ok(csrf, 'the page has a CSRF token');
    return remember(await t.app.inject({ method: 'POST', url, headers: { cookie: header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...fields, _csrf: csrf }).toString() }));
  };

  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, citizen);
    await t.deps.db.query(`UPDATE accounts SET pending_actions = '{verify_email,set_security_question,verify_mobile}'`);
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: citizen.codiceFiscale, password: citizen.password } });
    cookies = { varco_session: sessionCookieOf(signedIn).split('=')[1]! };
  });
  after(() => t.close());

  test('the area and the later steps send the browser to the email step', async () => {
    for (const url of ['/area', '/area/security-question', '/area/mobile/verify']) {
      const response = await get(url);
      assert.equal(response.statusCode, 303, url);
      assert.equal(response.headers.location, '/area/email/verify', url);
    }
  });

  test('email step: send, a wrong code shows an error, the right one goes on', async () => {
    const page = await get('/area/email/verify');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /giulia@example\.it/);
    assert.match(page.body, /1 di 3/);
    const sent = await post('/area/email/verify/send', {}, page);
    assert.equal(sent.statusCode, 200);
    const code = await latestCode(t.app, citizen.email);
    const wrong = await post('/area/email/verify', { code: code === '000000' ? '000001' : '000000' }, sent);
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /is-invalid/);
    const done = await post('/area/email/verify', { code }, wrong);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/area/security-question');
  });

  test('a skipped step is refused by the pages too', async () => {
    const later = await get('/area/mobile/verify');
    assert.equal(later.headers.location, '/area/security-question');
    const page = await get('/area/security-question');
    const skip = await post('/area/mobile/verify/send', {}, page);
    assert.equal(skip.statusCode, 303);
    assert.equal(skip.headers.location, '/area/security-question');
  });

  test('security question, then the mobile step, then the area', async () => {
    const page = await get('/area/security-question');
    assert.equal(page.statusCode, 200);
    const done = await post('/area/security-question', { question: 'Come si chiamava il mio primo cane?', answer: 'Fido' }, page);
    assert.equal(done.headers.location, '/area/mobile/verify');
    const mobilePage = await get('/area/mobile/verify');
    assert.equal(mobilePage.statusCode, 200);
    const sent = await post('/area/mobile/verify/send', {}, mobilePage);
    const verified = await post('/area/mobile/verify', { code: await latestCode(t.app, '+393339876543') }, sent);
    assert.equal(verified.headers.location, '/area');
    assert.ok(verified.cookies.some((c) => c.name === 'varco_session'), 'the finished flow carries on under a new session id');
    assert.equal((await get('/area')).statusCode, 200);
  });
});
