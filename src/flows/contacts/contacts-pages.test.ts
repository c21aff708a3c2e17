// The contact change pages (issue 12) as a browser without JavaScript sees them: the new value,
// the code sent to it, wrong codes counted down, resend keeping the count (S8), expiry (S7),
// the old address told, and the pages closed while a required action is pending (S23).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { activateCitizen, mailbox, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { latestCode } from '../../../test/helpers/first-access.ts';
import { formClient, type FormClient } from '../../../test/helpers/form-client.ts';

const citizen = { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', mobile: '3331234567', password: 'Tramonto-Viola!Sul-Po7' };
const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

describe('contact change pages', () => {
  let t: TestApp;
  let browser: FormClient;
  const me = async () => (await browser.get('/api/v1/me')).json() as { email: string; emailVerified: boolean; mobile: string; mobileVerified: boolean; pec: string | null };
  const told = async (to: string) => (await mailbox(t.app, to)).filter((m) => m.kind === 'contact_changed').length;
  const codesTo = async (to: string) => (await mailbox(t.app, to)).filter((m) => m.kind === 'contact_verification_code').length;

  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, citizen);
    browser = formClient(t);
    await browser.get('/signin');
    const signedIn = await browser.post('/signin', { method: 'password', codiceFiscale: citizen.codiceFiscale, password: citizen.password });
    assert.equal(signedIn.statusCode, 303, signedIn.body);
  });
  after(() => t.close());
  // Each step a moment after the last, as in life: "the latest proof" is then well defined.
  beforeEach(() => t.clock.advance(1));

  test('the area leads to a change page for each contact, with a CSRF token', async () => {
    const area = await browser.get('/area');
    for (const contact of ['email', 'mobile', 'pec']) {
      assert.match(area.body, new RegExp(`href="/area/contacts/${contact}">Modifica<span class="visually-hidden">`), contact);
      const page = await browser.get(`/area/contacts/${contact}`);
      assert.equal(page.statusCode, 200, contact);
      assert.match(page.body, /name="_csrf" value="[^"]+"/);
      assert.match(page.body, new RegExp(`name="${contact}"`));
    }
    assert.match((await browser.get('/area/contacts/email')).body, /Ora è registrato: mario@example\.it/);
  });

  test('a value that is not a contact, the same one or none is refused beside the field, nothing sent', async () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['/area/contacts/email', { email: 'non-una-email' }, /non sembra un indirizzo email/],
      ['/area/contacts/mobile', { mobile: '12' }, /non sembra un numero di cellulare/],
      ['/area/contacts/email', { email: ' Mario@Example.it ' }, /È già il recapito registrato/],
      ['/area/contacts/pec', { pec: '   ' }, /Scrivi il nuovo recapito/],
    ];
    for (const [url, fields, text] of cases) {
      await browser.get(url);
      const refused = await browser.post(url, fields);
      assert.equal(refused.statusCode, 400, `${url} ${JSON.stringify(fields)}`);
      assert.match(refused.body, text);
      assert.match(refused.body, /varco-error-summary[\s\S]*href="#field-/, 'the error summary links to the field');
      assert.match(refused.body, /aria-invalid="true"/);
    }
    assert.equal(await codesTo('non-una-email'), 0);
  });

  test('a new email: the code goes to the new address only, and nothing changes before it', async () => {
    await browser.get('/area/contacts/email');
    const sent = await browser.post('/area/contacts/email', { email: 'Mario.Nuovo@Example.it' });
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/area/contacts/email/code');
    assert.equal(await codesTo('mario.nuovo@example.it'), 1);
    assert.equal(await codesTo(citizen.email), 0);
    assert.equal((await me()).email, citizen.email);
    const page = await browser.get('/area/contacts/email/code');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Abbiamo mandato un codice di 6 cifre a mario\.nuovo@example\.it/);
    assert.match(page.body, /Il codice vale fino alle 10:10\. Tentativi a disposizione: 5\./, 'expiry (10 minutes, Rome time) and attempts');
    assert.match((await browser.get('/area')).body, /In attesa di conferma: mario\.nuovo@example\.it/);
  });

  test('wrong codes count down; a resend keeps the count (S8) and voids the earlier code', async () => {
    const first = await latestCode(t.app, 'mario.nuovo@example.it');
    await browser.get('/area/contacts/email/code');
    for (const left of [4, 3]) {
      const wrong = await browser.post('/area/contacts/email/code', { code: wrongFor(first) });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, new RegExp(`Il codice non è giusto\\. Tentativi rimasti: ${left}\\.`));
      assert.match(wrong.body, /varco-error-summary[\s\S]*href="#field-code"/);
      assert.doesNotMatch(wrong.body, new RegExp(`value="${wrongFor(first)}"`), 'the code is not echoed');
    }
    assert.equal((await me()).email, citizen.email, 'wrong codes change nothing');

    const resent = await browser.post('/area/contacts/email/code/resend', {});
    assert.equal(resent.statusCode, 303);
    assert.equal(resent.headers.location, '/area/contacts/email/code?sent=again');
    const page = await browser.get(resent.headers.location!);
    assert.match(page.body, /Ti abbiamo mandato un nuovo codice/);
    assert.match(page.body, /Tentativi a disposizione: 3\./, 'the resend did not reset the attempts');
    assert.equal(await codesTo('mario.nuovo@example.it'), 2);
    const second = await latestCode(t.app, 'mario.nuovo@example.it');
    if (second !== first) {
      const stale = await browser.post('/area/contacts/email/code', { code: first });
      assert.equal(stale.statusCode, 400, 'the earlier code is void');
      assert.match(stale.body, /Tentativi rimasti: 2\./);
    }
  });

  test('the right code: back to the area, the new email verified, the old address told', async () => {
    const code = await latestCode(t.app, 'mario.nuovo@example.it');
    await browser.get('/area/contacts/email/code');
    const done = await browser.post('/area/contacts/email/code', { code });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/area?contact=email');
    const area = await browser.get(done.headers.location!);
    assert.match(area.body, /la nuova email è registrata e verificata/);
    assert.match(area.body, /mario\.nuovo@example\.it\s*<span class="badge bg-success">verificato/);
    assert.doesNotMatch(area.body, /In attesa di conferma/);
    assert.deepEqual([(await me()).email, (await me()).emailVerified], ['mario.nuovo@example.it', true]);
    assert.equal(await told(citizen.email), 1, 'the old address is told');
    assert.equal(await told('mario.nuovo@example.it'), 0);
    const after = await browser.get('/area/contacts/email/code');
    assert.equal(after.statusCode, 303, 'nothing waits any more');
    assert.equal(after.headers.location, '/area/contacts/email');
  });

  test('five wrong codes spend the code: no code field, a new code offered', async () => {
    await browser.get('/area/contacts/email');
    assert.equal((await browser.post('/area/contacts/email', { email: 'mario.terzo@example.it' })).statusCode, 303);
    const code = await latestCode(t.app, 'mario.terzo@example.it');
    await browser.get('/area/contacts/email/code');
    let last = await browser.post('/area/contacts/email/code', { code: wrongFor(code) });
    for (let i = 0; i < 4; i++) last = await browser.post('/area/contacts/email/code', { code: wrongFor(code) });
    assert.equal(last.statusCode, 400);
    assert.match(last.body, /Il codice non si può più usare/);
    assert.doesNotMatch(last.body, /name="code"/, 'no field for a spent code');
    assert.match(last.body, /action="\/area\/contacts\/email\/code\/resend"/);
    const refused = await browser.post('/area/contacts/email/code', { code });
    assert.equal(refused.statusCode, 400, 'even the right code is refused now');
    assert.equal((await me()).email, 'mario.nuovo@example.it');
    // The module opens a new proof once one has spent its attempts: the new code works.
    assert.equal((await browser.post('/area/contacts/email/code/resend', {})).statusCode, 303);
    const page = await browser.get('/area/contacts/email/code?sent=again');
    assert.match(page.body, /Tentativi a disposizione: 5\./);
    assert.equal((await browser.post('/area/contacts/email/code', { code: await latestCode(t.app, 'mario.terzo@example.it') })).statusCode, 303);
    assert.equal((await me()).email, 'mario.terzo@example.it');
    assert.equal(await told('mario.nuovo@example.it'), 1);
    assert.doesNotMatch((await browser.get('/area')).body, /In attesa di conferma/);
  });

  test('an expired code is refused and the page asks for a new one (S7); the PEC proved is shown verified', async () => {
    // A PEC given at registration is not proved: the area says so.
    await t.deps.db.query(`UPDATE accounts SET pec = 'vecchia@pec.example.it'`);
    assert.match((await browser.get('/area')).body, /vecchia@pec\.example\.it\s*<span class="badge bg-warning text-dark">da verificare/);
    await browser.get('/area/contacts/pec');
    assert.equal((await browser.post('/area/contacts/pec', { pec: 'mario@pec.example.it' })).statusCode, 303);
    const code = await latestCode(t.app, 'mario@pec.example.it');
    t.clock.advance(11 * 60);
    const page = await browser.get('/area/contacts/pec/code');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Il codice non si può più usare/);
    const late = await browser.post('/area/contacts/pec/code', { code });
    assert.equal(late.statusCode, 400);
    assert.equal((await me()).pec, 'vecchia@pec.example.it');
    assert.equal((await browser.post('/area/contacts/pec/code/resend', {})).statusCode, 303);
    await browser.get('/area/contacts/pec/code');
    assert.equal((await browser.post('/area/contacts/pec/code', { code: await latestCode(t.app, 'mario@pec.example.it') })).statusCode, 303);
    assert.equal((await me()).pec, 'mario@pec.example.it');
    assert.match((await browser.get('/area')).body, /mario@pec\.example\.it\s*<span class="badge bg-success">verificato/);
    assert.equal(await told('vecchia@pec.example.it'), 1, 'the old PEC is told');
    assert.equal((await mailbox(t.app, 'vecchia@pec.example.it')).at(-1)?.channel, 'pec');
  });

  test('a new mobile by SMS; the registered email is told', async () => {
    await browser.get('/area/contacts/mobile');
    assert.equal((await browser.post('/area/contacts/mobile', { mobile: '347 000 1111' })).statusCode, 303);
    const sms = (await mailbox(t.app, '+393470001111')).at(-1);
    assert.equal(sms?.channel, 'sms');
    await browser.get('/area/contacts/mobile/code');
    assert.equal((await browser.post('/area/contacts/mobile/code', { code: await latestCode(t.app, '+393470001111') })).statusCode, 303);
    assert.deepEqual([(await me()).mobile, (await me()).mobileVerified], ['+393470001111', true]);
    assert.equal(await told('mario.terzo@example.it'), 1);
    assert.match((await browser.get('/area?contact=mobile')).body, /il nuovo cellulare è registrato e verificato/);
  });

  test('while a required action is pending the pages send to it (S23); without a session, to the sign-in', async () => {
    const page = await browser.get('/area/contacts/email');
    await t.deps.db.query(`UPDATE accounts SET pending_actions = '{verify_email}'`);
    for (const url of ['/area/contacts/email', '/area/contacts/email/code']) {
      const blocked = await browser.get(url);
      assert.equal(blocked.statusCode, 303, url);
      assert.equal(blocked.headers.location, '/area/email/verify', url);
    }
    assert.match(page.body, /name="_csrf"/);
    const posted = await browser.post('/area/contacts/email', { email: 'altro@example.it' });
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, '/area/email/verify');
    assert.equal(await codesTo('altro@example.it'), 0);
    await t.deps.db.query(`UPDATE accounts SET pending_actions = '{}'`);
    const anonymous = await t.app.inject({ method: 'GET', url: '/area/contacts/mobile' });
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, '/signin');
  });
});
