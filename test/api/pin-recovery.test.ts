// "Hai smarrito il tuo PIN?" through the API (issue 5): 1, 2 and 3 contacts, matching and
// not, before and after first access; the code by email and its confirmation (S2, S3, S6–S9,
// S15, S26, S32).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mailbox, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import {
  citizenWithActivePin, codiceFiscaleFor, countOf, issueBySteps, issuedPin, registerPinCitizen, signInWithPin, type PinCitizen,
} from '../helpers/pin.ts';

const start = (t: TestApp, body: object) => t.app.inject({ method: 'POST', url: '/api/v1/recovery/pin', payload: body });
const confirm = (t: TestApp, codiceFiscale: string, recoveryCode: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/recovery/pin/confirm', payload: { codiceFiscale, recoveryCode } });

async function lastRecoveryCode(t: TestApp, citizen: PinCitizen): Promise<{ code: string; text: string }> {
  const message = (await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'pin_recovery_code').at(-1);
  const code = /\b(\d{8})\b/.exec(message?.text ?? '')?.[1];
  assert.ok(message && code, 'an email with an 8-digit recovery code');
  return { code, text: message.text };
}

const emailsOf = async (t: TestApp, citizen: PinCitizen) => (await mailbox(t.app, citizen.email)).map((m) => m.kind);
const other = { mobile: '+393999999999', email: 'nessuno@example.it', pec: 'nessuno@pec.example.it' };

describe('which requests send what', () => {
  let t: TestApp;
  let before1: PinCitizen;
  let after1: PinCitizen;
  before(async () => {
    t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100', RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '100' });
    before1 = await registerPinCitizen(t, 40);
    await issueBySteps(t, before1.codiceFiscale); // PIN issued, first access not done
    after1 = await registerPinCitizen(t, 41);
    await citizenWithActivePin(t, after1);
  });
  after(() => t.close());

  const given = (citizen: PinCitizen, pick: ('mobile' | 'email' | 'pec')[], wrong: ('mobile' | 'email' | 'pec')[] = []) =>
    Object.fromEntries([...pick.map((k) => [k, citizen[k]]), ...wrong.map((k) => [k, other[k]])]);

  test('one contact, given or matching, is refused: 400 two_contacts_required', async () => {
    for (const contacts of [{ mobile: after1.mobile }, { email: after1.email }, { pec: after1.pec }, { mobile: after1.mobile, email: ' ' }, {}]) {
      const response = await start(t, { codiceFiscale: after1.codiceFiscale, ...contacts });
      assert.deepEqual([response.statusCode, response.json().code], [400, 'two_contacts_required'], JSON.stringify(contacts));
    }
  });

  const cases: { name: string; pick: ('mobile' | 'email' | 'pec')[]; wrong?: ('mobile' | 'email' | 'pec')[]; sends: boolean }[] = [
    { name: 'mobile + email, both matching', pick: ['mobile', 'email'], sends: true },
    { name: 'email + PEC, both matching', pick: ['email', 'pec'], sends: true },
    { name: 'mobile + PEC, both matching', pick: ['mobile', 'pec'], sends: true },
    { name: 'two given, one matching', pick: ['mobile'], wrong: ['email'], sends: false },
    { name: 'two given, none matching', pick: [], wrong: ['mobile', 'pec'], sends: false },
    { name: 'three given, all matching', pick: ['mobile', 'email', 'pec'], sends: true },
    { name: 'three given, two matching', pick: ['email', 'pec'], wrong: ['mobile'], sends: true },
    { name: 'three given, one matching', pick: ['pec'], wrong: ['mobile', 'email'], sends: false },
  ];

  for (const c of cases) {
    test(`${c.name}: ${c.sends ? 'a code after first access, the not-possible email before' : 'nothing, the same answer'}`, async () => {
      const answers = [];
      for (const [citizen, expected] of [[after1, 'pin_recovery_code'], [before1, 'pin_recovery_not_possible']] as const) {
        const sent = (await emailsOf(t, citizen)).length;
        const response = await start(t, { codiceFiscale: citizen.codiceFiscale, ...given(citizen, c.pick, c.wrong) });
        answers.push(response);
        const now = await emailsOf(t, citizen);
        assert.equal(response.statusCode, 202);
        assert.deepEqual(now.slice(sent), c.sends ? [expected] : [], `${citizen.codiceFiscale}: ${c.name}`);
      }
      const unknown = await start(t, { codiceFiscale: codiceFiscaleFor(399), ...given(after1, c.pick, c.wrong) });
      assert.equal(unknown.statusCode, 202);
      for (const response of [...answers, unknown]) {
        assert.equal(response.body, unknown.body, 'the same body whatever matched (S2)');
        assert.equal(response.headers['set-cookie'], undefined);
      }
    });
  }

  test('contacts match as registered: mobile in any national form, addresses in any case', async () => {
    const sent = await countOf(t, after1.email, 'pin_recovery_code');
    const national = `${after1.mobile.slice(3, 6)} ${after1.mobile.slice(6)}`;
    await start(t, { codiceFiscale: after1.codiceFiscale.toLowerCase(), mobile: national, email: after1.email.toUpperCase() });
    assert.equal(await countOf(t, after1.email, 'pin_recovery_code'), sent + 1);
  });

  test('nothing goes by SMS or PEC: the code travels by email only', async () => {
    await start(t, { codiceFiscale: after1.codiceFiscale, mobile: after1.mobile, pec: after1.pec });
    assert.equal(await countOf(t, after1.mobile, 'pin_recovery_code'), 0);
    assert.equal((await mailbox(t.app, after1.pec)).length, 0);
  });
});

describe('confirming a recovery code', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100', LOCKOUT_THRESHOLD: '5' }); });
  after(() => t.close());

  test('the full journey: code by email, a link that pre-fills the page, a new PIN in two halves, the old one dead', async () => {
    const citizen = await registerPinCitizen(t, 50);
    const oldPin = await citizenWithActivePin(t, citizen);
    const oldSession = sessionCookieOf(await signInWithPin(t, citizen.codiceFiscale, oldPin));
    assert.equal((await start(t, { codiceFiscale: citizen.codiceFiscale, mobile: citizen.mobile, email: citizen.email })).statusCode, 202);
    const { code, text } = await lastRecoveryCode(t, citizen);
    const link = new RegExp(`http://127\\.0\\.0\\.1:3000/recovery/pin/confirm/${code}\\b`);
    assert.match(text, link, 'the link carries the code in its path');
    assert.doesNotMatch(text, new RegExp(citizen.codiceFiscale), 'and no codice fiscale');

    const landing = await t.app.inject({ method: 'GET', url: `/recovery/pin/confirm/${code}` });
    assert.equal(landing.statusCode, 200);
    assert.match(landing.body, new RegExp(`name="recoveryCode"[^>]*value="${code}"`));
    assert.equal(landing.headers['referrer-policy'], 'no-referrer');
    assert.equal(landing.headers['cache-control'], 'no-store');
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, oldPin)).statusCode, 200, 'the landing page spends nothing (S25)');

    const halves = await countOf(t, citizen.mobile, 'pin_first_half');
    const confirmed = await confirm(t, citizen.codiceFiscale, code);
    assert.deepEqual([confirmed.statusCode, confirmed.json()], [202, { status: 'accepted' }]);
    assert.equal(await countOf(t, citizen.mobile, 'pin_first_half'), halves + 1);
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, oldPin)).statusCode, 401, 'the old PIN stops working');
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: oldSession } })).statusCode, 401, 'its sessions end');
    const fresh = await signInWithPin(t, citizen.codiceFiscale, await issuedPin(t, citizen));
    assert.deepEqual(fresh.json().requiredActions, ['change_pin'], 'a recovered PIN is a 16-character one to replace');

    assert.equal((await confirm(t, citizen.codiceFiscale, code)).statusCode, 202, 'a used code answers the same…');
    assert.equal(await countOf(t, citizen.mobile, 'pin_first_half'), halves + 1, '…and issues nothing');
  });

  test('a newer request voids the older code; a code lives 24 hours', async () => {
    const citizen = await registerPinCitizen(t, 51);
    await citizenWithActivePin(t, citizen);
    const request = () => start(t, { codiceFiscale: citizen.codiceFiscale, email: citizen.email, pec: citizen.pec });
    await request();
    const older = (await lastRecoveryCode(t, citizen)).code;
    await request();
    const newer = (await lastRecoveryCode(t, citizen)).code;
    const halves = await countOf(t, citizen.mobile, 'pin_first_half');
    if (older !== newer) await confirm(t, citizen.codiceFiscale, older);
    assert.equal(await countOf(t, citizen.mobile, 'pin_first_half'), halves, 'the older code is void (S9)');
    t.clock.advance(24 * 60 * 60 + 1);
    await confirm(t, citizen.codiceFiscale, newer);
    assert.equal(await countOf(t, citizen.mobile, 'pin_first_half'), halves, 'the code expired (S7)');
  });

  test('wrong codes count toward the lockout: 423 while locked, even with the right code; recovery then starts again', async () => {
    const citizen = await registerPinCitizen(t, 52);
    const pin = await citizenWithActivePin(t, citizen);
    await start(t, { codiceFiscale: citizen.codiceFiscale, mobile: citizen.mobile, email: citizen.email });
    const { code } = await lastRecoveryCode(t, citizen);
    const wrong = code === '00000000' ? '11111111' : '00000000';
    for (let i = 0; i < 5; i++) assert.equal((await confirm(t, citizen.codiceFiscale, wrong)).statusCode, 202);
    const locked = await confirm(t, citizen.codiceFiscale, code);
    assert.deepEqual([locked.statusCode, locked.json().code], [423, 'account_locked']);
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, pin)).statusCode, 423, 'the PIN is locked too (S15)');
    assert.ok((await emailsOf(t, citizen)).includes('account_locked'));

    assert.equal((await start(t, { codiceFiscale: citizen.codiceFiscale, mobile: citizen.mobile, email: citizen.email })).statusCode, 202,
      'recovery starts while locked');
    const again = (await lastRecoveryCode(t, citizen)).code;
    t.clock.advance(15 * 60 + 1);
    const halves = await countOf(t, citizen.mobile, 'pin_first_half');
    await confirm(t, citizen.codiceFiscale, again);
    assert.equal(await countOf(t, citizen.mobile, 'pin_first_half'), halves + 1);
    assert.equal((await signInWithPin(t, citizen.codiceFiscale, await issuedPin(t, citizen))).statusCode, 200, 'the lock is cleared');
  });

  test('unknown codici fiscali walk the same path: 202, then 423 after as many failures (S3)', async () => {
    const unknown = codiceFiscaleFor(398);
    for (let i = 0; i < 5; i++) assert.equal((await confirm(t, unknown, '12345678')).statusCode, 202);
    assert.equal((await confirm(t, unknown, '12345678')).statusCode, 423);
    const malformed = await confirm(t, 'NOTACODICEFISCALE', '12345678');
    assert.deepEqual([malformed.statusCode, malformed.json().code], [400, 'invalid_codice_fiscale']);
  });
});

describe('recovery codes under attack and under concurrency', () => {
  let t: TestApp;
  before(async () => { t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '100', LOCKOUT_THRESHOLD: '100' }); });
  after(() => t.close());

  test('5 wrong codes kill the code, whatever the lockout says (S8)', async () => {
    const citizen = await registerPinCitizen(t, 60);
    await citizenWithActivePin(t, citizen);
    await start(t, { codiceFiscale: citizen.codiceFiscale, mobile: citizen.mobile, email: citizen.email });
    const { code } = await lastRecoveryCode(t, citizen);
    const wrong = code === '00000000' ? '11111111' : '00000000';
    for (let i = 0; i < 5; i++) await confirm(t, citizen.codiceFiscale, wrong);
    const halves = await countOf(t, citizen.mobile, 'pin_first_half');
    assert.equal((await confirm(t, citizen.codiceFiscale, code)).statusCode, 202);
    assert.equal(await countOf(t, citizen.mobile, 'pin_first_half'), halves, 'the right code came too late');
  });

  test('20 parallel confirmations of one code issue exactly one PIN (S6)', async () => {
    const citizen = await registerPinCitizen(t, 61);
    await citizenWithActivePin(t, citizen);
    await start(t, { codiceFiscale: citizen.codiceFiscale, email: citizen.email, pec: citizen.pec.toUpperCase() });
    const { code } = await lastRecoveryCode(t, citizen);
    const halves = await countOf(t, citizen.mobile, 'pin_first_half');
    const results = await Promise.all(Array.from({ length: 20 }, () => confirm(t, citizen.codiceFiscale, code)));
    assert.ok(results.every((r) => r.statusCode === 202));
    assert.equal(await countOf(t, citizen.mobile, 'pin_first_half'), halves + 1);
    assert.equal(await countOf(t, citizen.email, 'pin_second_half'), halves + 1);
  });
});

describe('S32: the code in the link never reaches the logs', () => {
  const logLines: string[] = [];
  let t: TestApp;
  before(async () => { t = await startTestApp({ LOG_LEVEL: 'info' }, { logLines }); });
  after(() => t.close());

  test('landing on the emailed link and confirming leave neither code nor PIN in the logs', async () => {
    const citizen = await registerPinCitizen(t, 70);
    const pin = await citizenWithActivePin(t, citizen);
    await start(t, { codiceFiscale: citizen.codiceFiscale, mobile: citizen.mobile, email: citizen.email });
    const { code } = await lastRecoveryCode(t, citizen);
    await t.app.inject({ method: 'GET', url: `/recovery/pin/confirm/${code}` });
    await confirm(t, citizen.codiceFiscale, code);
    const logs = logLines.join('\n');
    assert.match(logs, /\/recovery\/pin\/confirm\/\[redacted\]/, 'the landing request was logged, masked');
    for (const secret of [code, pin, await issuedPin(t, citizen)]) assert.ok(!logs.includes(secret), `a secret reached the logs: ${secret.slice(0, 3)}…`);
  });
});
