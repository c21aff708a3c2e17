// S11: a password hashed with weaker parameters is upgraded at the next successful sign-in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hash } from '@node-rs/argon2';
import { argon2id } from '../../src/adapters/argon2.hasher.ts';
import { activateCitizen, startTestApp, type TestApp } from '../helpers/app.ts';

describe('S11 argon2id parameters', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await activateCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', email: 'anna@example.it', password: 'Tramonto-Viola!Sul-Po7' });
  });
  after(() => t.close());

  const storedHash = async () => (await t.deps.db.query<{ password_hash: string }>('SELECT password_hash FROM accounts')).rows[0]!.password_hash;

  test('hashes are argon2id with m=19456, t=2, p=1 and a unique salt', async () => {
    assert.match(await storedHash(), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.notEqual(await t.deps.hasher.hash('x'), await t.deps.hasher.hash('x'));
  });

  test('a weaker stored hash is replaced at sign-in, and the password still works', async () => {
    const weak = await hash('Tramonto-Viola!Sul-Po7', { algorithm: argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await t.deps.db.query('UPDATE accounts SET password_hash = $1', [weak]);
    const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password: 'Tramonto-Viola!Sul-Po7' } });
    assert.equal(signIn.statusCode, 200);
    assert.match(await storedHash(), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: 'RSSMRA85T10A562S', password: 'Tramonto-Viola!Sul-Po7' } });
    assert.equal(again.statusCode, 200);
  });
});
