// What the code page shows (pendingContactChange) against a model of the one-time-secret rules,
// over random sequences of wrong codes, resends and waits: the attempts left never go back up
// on a resend while the proof has attempts (S8), an expired code has none (S7), and a proof
// that spent all five is replaced by a fresh one on the next resend.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { findAccountById, type AccountRow } from '../../store/accounts.repo.ts';
import { activateCitizen, startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { confirmContactChange, pendingContactChange, requestContactChange, resendContactCode } from './contacts.steps.ts';

const citizen = { codiceFiscale: 'RSSMRA85T10A562S', email: 'mario@example.it', password: 'Tramonto-Viola!Sul-Po7' };
const meta = { ip: '127.0.0.1', userAgent: 'test' };
const target = 'mario.nuovo@example.it';

describe('a contact change waiting for its code', () => {
  let t: TestApp;
  let accountId: string;
  const account = async (): Promise<AccountRow> => (await findAccountById(t.deps.db, accountId))!;
  const wrong = async () => confirmContactChange(t.deps, await account(), { contact: 'email', code: 'not-a-code' }, meta).then(
    () => assert.fail('a wrong code was taken'), (error: { code?: string }) => assert.equal(error.code, 'invalid_code'));

  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, citizen);
    accountId = (await t.deps.db.query<{ id: string }>('SELECT id FROM accounts')).rows[0]!.id;
  });
  after(() => t.close());

  test('nothing asked: nothing waits; asked: the address, 5 attempts and the expiry; after an hour: nothing', async () => {
    assert.equal(await pendingContactChange(t.deps, await account(), 'email'), null);
    await requestContactChange(t.deps, await account(), { email: target });
    const pending = await pendingContactChange(t.deps, await account(), 'email');
    assert.equal(pending?.target, target);
    assert.deepEqual(pending?.code, { expiresAt: new Date(t.clock.now().getTime() + 10 * 60_000), attemptsLeft: 5 });
    assert.equal(await pendingContactChange(t.deps, await account(), 'mobile'), null, 'one contact at a time');
    t.clock.advance(11 * 60);
    assert.deepEqual(await pendingContactChange(t.deps, await account(), 'email'), { target, code: null }, 'expired, still offered a resend');
    t.clock.advance(50 * 60);
    assert.equal(await pendingContactChange(t.deps, await account(), 'email'), null);
    assert.equal(await resendContactCode(t.deps, await account(), 'email'), false, 'nothing to resend');
  });

  test('the attempts shown follow the one-time-secret rules, whatever the order of wrong codes, resends and waits', async () => {
    type Step = 'wrong' | 'resend' | 'wait';
    // At most four resends after the request: five codes an hour is the sending limit.
    const steps = fc.array(fc.constantFrom<Step>('wrong', 'wrong', 'resend', 'wait'), { maxLength: 12 })
      .filter((list) => list.filter((s) => s === 'resend').length <= 4 && list.filter((s) => s === 'wait').length <= 3);
    await fc.assert(fc.asyncProperty(steps, async (list) => {
      await t.deps.db.query('DELETE FROM contact_proofs');
      await t.deps.db.query('DELETE FROM one_time_secrets');
      await t.deps.db.query('DELETE FROM rate_limits');
      t.clock.advance(3600);
      await requestContactChange(t.deps, await account(), { email: target });
      const model = { spent: 0, live: true };
      for (const step of list) {
        t.clock.advance(1);
        if (step === 'wrong') {
          await wrong();
          if (model.live && model.spent < 5) model.spent += 1;
        } else if (step === 'resend') {
          assert.equal(await resendContactCode(t.deps, await account(), 'email'), true);
          if (model.spent >= 5) model.spent = 0; // a spent proof gives way to a new one
          model.live = true;
        } else {
          t.clock.advance(11 * 60);
          model.live = false;
        }
        const shown = await pendingContactChange(t.deps, await account(), 'email');
        const expected = model.live && model.spent < 5 ? 5 - model.spent : null;
        assert.ok(shown, `${list.join(',')}: a change waits`);
        assert.equal(shown.target, target);
        assert.equal(shown.code?.attemptsLeft ?? null, expected, `${list.join(',')} at ${step}`);
      }
      assert.equal((await account()).email, citizen.email, 'no wrong code changed the email');
    }), { numRuns: 15 });
  });
});
