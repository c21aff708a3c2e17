// Issue 14, back-pressure: the hash work goes through a bounded queue, and beyond it a sign-in
// answers 503 overloaded with Retry-After at once, without waiting for a hash or the database.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createArgon2Hasher } from '../../src/adapters/argon2.hasher.ts';
import { activateCitizen, startTestApp, type TestApp } from '../helpers/app.ts';

const codiceFiscale = 'RSSMRA85T10A562S';
const password = 'Tramonto-Viola!Sul-Po7';

describe('the bounded hash queue', () => {
  test('runs at most `concurrency` hashes, in the order they came, and says when it is full', async () => {
    const hasher = createArgon2Hasher({ concurrency: 1, queueLimit: 3 });
    const encoded = await hasher.hash(password);
    const finished: number[] = [];
    const jobs = [0, 1, 2].map((n) => hasher.verify(encoded, password).then((ok) => { finished.push(n); return ok; }));
    assert.equal(hasher.hasCapacity(), false, 'three hashes running or waiting fill a queue of three');
    assert.deepEqual(await Promise.all(jobs), [true, true, true]);
    assert.deepEqual(finished, [0, 1, 2], 'one at a time, first come first served');
    assert.equal(hasher.hasCapacity(), true);
  });
});

describe('a sign-in beyond the queue', () => {
  let t: TestApp;
  const hasher = createArgon2Hasher({ concurrency: 1, queueLimit: 2 });
  before(async () => {
    t = await startTestApp({}, { hasher });
    await activateCitizen(t.app, { codiceFiscale, password });
  });
  after(() => t.close());
  const signIn = () => t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale, password } });
  // Hashes of another secret, queued until the queue is full and well beyond (a sign-in does
  // a database round trip before it asks, long enough for a hash or two to end): the next
  // sign-in finds it full.
  const held: Promise<boolean>[] = [];
  const other = hasher.hash('something-else');
  let unfinished = 0;
  const fillQueue = async () => {
    const encoded = await other;
    for (; unfinished < 40; unfinished++) held.push(hasher.verify(encoded, 'x').finally(() => { unfinished--; }));
    assert.equal(hasher.hasCapacity(), false);
  };

  test('answers 503 overloaded with Retry-After while the queue is full, and signs in once it drains', async () => {
    await fillQueue();
    const refused = await signIn();
    assert.equal(refused.statusCode, 503);
    assert.equal(refused.json().code, 'overloaded');
    assert.equal(refused.headers['retry-after'], '2');
    await Promise.all(held);
    const accepted = await signIn();
    assert.equal(accepted.statusCode, 200, accepted.body);
  });

  test('a refusal does not count as a failed attempt: the account is not closer to its lockout', async () => {
    for (let i = 0; i < 12; i++) {
      await fillQueue();
      assert.equal((await signIn()).statusCode, 503);
    }
    await Promise.all(held);
    assert.equal((await signIn()).statusCode, 200, 'twelve refusals would have locked the account had they counted');
  });
});

describe('a queue that fills while a sign-in reads its account', () => {
  let t: TestApp;
  const argon2 = createArgon2Hasher();
  // Room at the first look, none after: what happens when other sign-ins reach the queue
  // during this one's database round trip, after it was let in and its attempt counted.
  let squeezed = false;
  let looks = 0;
  const hasher = { ...argon2, hasCapacity: () => !squeezed || looks++ === 0 };
  before(async () => {
    t = await startTestApp({ LOCKOUT_THRESHOLD: '1' }, { hasher });
    await activateCitizen(t.app, { codiceFiscale, password });
  });
  after(() => t.close());

  test('a sign-in let in and counted is verified, never refused with its attempt spent', async () => {
    squeezed = true;
    looks = 0;
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale, password: 'Sbagliata-Davvero-1!' } });
    assert.equal(wrong.statusCode, 401, 'its secret was checked');
    squeezed = false;
    // With a threshold of one, that checked failure locked the account (a refusal for the load
    // would have spent the attempt without checking the secret).
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale, password } })).statusCode, 423);
  });
});
