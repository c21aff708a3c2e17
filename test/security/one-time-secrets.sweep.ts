// S4–S9 of SECURITY.md swept over EVERY secret the service hands out (issue 13): the table in
// one-time-secrets.cases.ts says, for each, how the API issues it and how the API uses it;
// each item below runs over the whole table, so a secret added there is swept by all of them.
// Two files run it: one-time-secrets.test.ts (S4, S5, S7–S9, with tiny argon2 parameters so it
// takes seconds) and one-time-secrets-race.test.ts (S6, with the production hasher, whose real
// cost keeps the race windows as wide as in production).
// - S04: the delivered shape carries the entropy it must, and it came out of the injected
//   CSPRNG (deps.random, node:crypto in every build): the very bytes or draws make the secret.
// - S05: once the message is delivered (the outbox erases secret-bearing bodies), no text
//   column of any table holds the plaintext; tokens sit there as their SHA-256.
// - S06: 20 parallel uses of one secret → exactly one success.
// - S07: usable a second before its lifetime ends, refused a second after (the test clock).
// - S08: five wrong attempts, then even the right secret is refused; a resend keeps the budget.
// - S09: a new secret of the same purpose voids the previous one, and the new one works.
// The development mailbox (dev_mailbox) is the one table left out: it exists to show what was
// sent, and production never writes it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { cryptoRandom, type Random } from '../../src/domain/clock.ts';
import { readableAlphabet } from '../../src/domain/secrets.ts';
import { markSent } from '../../src/delivery/outbox.repo.ts';
import type { Hasher } from '../../src/domain/hasher.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { secretCases, type Issued, type SecretCase } from './one-time-secrets.cases.ts';

const cases = secretCases();
const pad = (n: number) => String(n).padStart(2, '0');
const title = (item: number, c: SecretCase, what: string) => `S${pad(item)} ${c.name}: ${what}`;

/**
 * Bits a secret of this case's shape carries: digits, the readable alphabet, or base64url.
 * The shape comes from the case, never from the secret's characters: a base64url token whose
 * 43 characters all happen to fall in the readable alphabet (about 1 in 300) is still base64url.
 */
function bitsOf(c: SecretCase, secret: string): number {
  if (c.format.source.startsWith('^\\d')) return secret.length * Math.log2(10);
  if (c.randomCall === 'int') return secret.length * Math.log2(readableAlphabet.length);
  return secret.length * 6;
}

/** Another secret of the same shape: the last character moved on. */
function wrongOf(secret: string): string {
  const last = secret.at(-1)!;
  const next = /\d/.test(last) ? String((Number(last) + 1) % 10) : last === 'A' ? 'B' : 'A';
  return secret.slice(0, -1) + next;
}

/** Records every draw of the CSPRNG while `work` runs, the way each helper of domain/secrets.ts encodes it. */
async function drawsDuring(random: Random, work: () => Promise<Issued>): Promise<{ issued: Issued; tokens: string[]; digits: string; readable: string }> {
  const { bytes, int } = random;
  const tokens: string[] = [];
  let digits = '';
  let readable = '';
  random.bytes = (size) => {
    const out = bytes(size);
    tokens.push(out.toString('base64url'));
    return out;
  };
  random.int = (min, max) => {
    const out = int(min, max);
    if (min === 0 && max === 10) digits += String(out);
    if (min === 0 && max === readableAlphabet.length) readable += readableAlphabet[out];
    return out;
  };
  try {
    return { issued: await work(), tokens, digits, readable };
  } finally {
    Object.assign(random, { bytes, int });
  }
}

/** "table.column" of every text-like column holding the secret as a whole word (dev_mailbox aside). */
async function plaintextCopies(t: TestApp, secret: string): Promise<string[]> {
  const columns = await t.deps.db.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema() AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'bytea')
       AND c.table_name <> 'dev_mailbox'`);
  assert.ok(columns.rows.length > 50, `${columns.rows.length} text columns to search`);
  const word = `(^|[^A-Za-z0-9_-])${secret.replace(/[^A-Za-z0-9]/g, (ch) => `\\${ch}`)}($|[^A-Za-z0-9_-])`;
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns.rows) {
    const value = column === 'bytea' ? `encode("${column}", 'escape')` : `"${column}"::text`;
    const hits = await t.deps.db.query(`SELECT 1 FROM "${table}" WHERE ${value} ~ $1 LIMIT 1`, [word]);
    if (hits.rows.length > 0) found.push(`${table}.${column}`);
  }
  return found;
}

/** What the outbox worker does once a message is handed over: mark it sent, erasing the body of a secret-bearing one. */
async function deliverOutbox(t: TestApp): Promise<void> {
  const pending = await t.deps.db.query<{ id: string }>(`SELECT id FROM outbox WHERE status = 'pending'`);
  await markSent(t.deps.db, pending.rows.map((row) => ({ id: row.id, providerId: 'test' })), t.clock.now());
}

const succeeded = (t: TestApp, c: SecretCase, response: Awaited<ReturnType<Issued['use']>>) =>
  c.succeeded ? c.succeeded(t, response) : response.statusCode >= 200 && response.statusCode < 300;

async function expectUsable(t: TestApp, c: SecretCase, issued: Issued, secret: string, what: string): Promise<void> {
  const before = c.effects ? await c.effects(t, issued) : 0;
  const response = await issued.use(secret);
  const ok = succeeded(t, c, response) && (!c.effects || (await c.effects(t, issued)) === before + 1);
  assert.ok(ok, `${what}: ${response.statusCode} ${response.body.slice(0, 300)}`);
}

async function expectRefused(t: TestApp, c: SecretCase, issued: Issued, secret: string, what: string): Promise<void> {
  const before = c.effects ? await c.effects(t, issued) : 0;
  const response = await issued.use(secret);
  assert.ok(response.statusCode < 500, `${what}: ${response.statusCode} ${response.body}`);
  const ok = c.effects ? (await c.effects(t, issued)) === before : !succeeded(t, c, response);
  assert.ok(ok, `${what}, yet it worked: ${response.statusCode} ${response.body.slice(0, 300)}`);
}

export type SweepItem = 4 | 5 | 6 | 7 | 8 | 9;

/** Registers the tests of these items, each over every secret of the table. */
export function sweepSecrets(items: readonly SweepItem[], options: { hasher?: Hasher } = {}): void {
  describe(`one-time secrets, every one of them (S${items.join(', S')})`, () => {
    let t: TestApp;
    const runs = (item: SweepItem) => items.includes(item);
    before(async () => {
      t = await startTestApp({
        RECOVERY_SECOND_FACTOR: 'sms', LOCKOUT_THRESHOLD: '1000', RATE_LIMIT_RECOVERY_PER_IP_PER_HOUR: '100000',
        RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '1000', RATE_LIMIT_CODE_ENTRY_PER_IP_PER_HOUR: '100000', RATE_LIMIT_DESK_REQUESTS_PER_IP_PER_MINUTE: '10000',
      }, options);
    });
    after(() => t.close());

    if (runs(4)) test('S04 the service draws from node:crypto', () => {
      assert.equal(t.deps.random, cryptoRandom, 'the test app runs the production CSPRNG');
      assert.match(cryptoRandom.bytes.toString(), /randomBytes\(/);
      assert.match(cryptoRandom.int.toString(), /randomInt\(/);
    });

    for (const c of cases) {
      if (runs(4)) test(title(4, c, `${c.minBits}+ bits in its shape, drawn from the CSPRNG`), async () => {
        const { issued, tokens, digits, readable } = await drawsDuring(t.deps.random, () => c.issue(t));
        assert.match(issued.secret, c.format);
        assert.ok(bitsOf(c, issued.secret) >= c.minBits, `${bitsOf(c, issued.secret).toFixed(1)} bits`);
        if (c.randomCall === 'bytes') {
          assert.ok(c.minBits >= 128, 'a token carries at least 128 bits');
          assert.ok(tokens.includes(issued.secret), 'the token is the bytes the CSPRNG gave');
        } else {
          assert.ok(digits.includes(issued.secret) || readable.includes(issued.secret), 'the code is the CSPRNG\'s draws, in order');
        }
      });

      if (runs(5)) test(title(5, c, 'no plaintext copy in any column of any table'), async () => {
        const issued = await c.issue(t);
        await deliverOutbox(t);
        assert.deepEqual(await plaintextCopies(t, issued.secret), [], 'columns holding the plaintext');
        if (c.randomCall === 'bytes') {
          const digest = createHash('sha256').update(issued.secret).digest();
          const stored = [...await plaintextCopies(t, digest.toString('base64url')), ...await plaintextCopies(t, digest.toString('hex'))];
          assert.ok(stored.length > 0, 'the token is stored as its SHA-256');
        }
      });

      if (runs(6)) test(title(6, c, '20 parallel uses, exactly one succeeds'), { skip: c.reusable !== undefined && `not single-use: ${c.reusable}` }, async () => {
        const issued = await c.issue(t);
        const before = c.effects ? await c.effects(t, issued) : 0;
        const responses = await Promise.all(Array.from({ length: 20 }, () => issued.use(issued.secret)));
        for (const response of responses) assert.ok(response.statusCode < 500, `${response.statusCode} ${response.body}`);
        const winners = c.effects ? (await c.effects(t, issued)) - before : responses.filter((r) => succeeded(t, c, r)).length;
        assert.equal(winners, 1, responses.map((r) => r.statusCode).join(' '));
      });

      if (runs(7)) test(title(7, c, `usable just before ${c.lifetimeSeconds ?? '-'} s, refused just after`), { skip: c.lifetimeSeconds === undefined && 'it has no lifetime of its own (valid until used, cancelled or revoked)' }, async () => {
        const lifetime = c.lifetimeSeconds!;
        const early = await c.issue(t);
        t.clock.advance(lifetime - 1);
        await expectUsable(t, c, early, early.secret, 'a second before the end');
        const late = await c.issue(t);
        t.clock.advance(lifetime + 1);
        await expectRefused(t, c, late, late.secret, 'a second after the end');
      });

      if (runs(8)) test(title(8, c, `five wrong attempts, then the right one is refused${c.attempts?.resend ? '; a resend keeps the budget' : ''}`),
        { skip: !c.attempts && 'not a code typed in by hand: guessing it is hopeless (S4), and a wrong one is simply unknown' }, async () => {
          const issued = await c.issue(t);
          let secret = issued.secret;
          for (let attempt = 1; attempt <= 5; attempt++) {
            if (attempt === 3 && c.attempts!.resend) secret = await issued.reissue!();
            await expectRefused(t, c, issued, wrongOf(secret), `wrong attempt ${attempt}`);
          }
          await expectRefused(t, c, issued, secret, 'the right secret after five wrong ones');
        });

      if (runs(9)) test(title(9, c, 'a new one voids the previous one of its purpose'), { skip: c.independent ?? false }, async () => {
        const issued = await c.issue(t);
        assert.ok(issued.reissue, 'the case says how to issue a new one');
        const second = await issued.reissue();
        assert.notEqual(second, issued.secret);
        await expectRefused(t, c, issued, issued.secret, 'the previous secret');
        await expectUsable(t, c, issued, second, 'the new secret');
      });
    }
  });
}
