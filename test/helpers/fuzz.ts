// Hostile input for the property fuzzers (test/security/s28-fuzz-*.test.ts): random and
// boundary strings, control characters, lone surrogates, confusables, huge numbers, deep
// nesting, and the fingerprint that proves a rejected request changed nothing.
import fc from 'fast-check';
import type { Db } from '../../src/store/db.ts';

/** Runs per property: small under CI so the whole fuzz stays well under a minute and a half. */
export const fuzzRuns = Number(process.env.FUZZ_RUNS ?? (process.env.CI === 'true' ? 6 : 10));

const boundaryStrings = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\u0007', '\u001b[31m', '\u0085', '\u009b', '\u202e', '\ufeff', '\u2028',
  'ＲＳＳＭＲＡ８５Ｔ１０Ａ５６２Ｓ', 'RSSМRA85T10A562S' /* Cyrillic М */, 'rssmra85t10a562s', ' R S S M R A 8 5 T 1 0 A 5 6 2 S ',
  '../../../etc/passwd', '%00', '%2e%2e%2f', "' OR '1'='1", '"; DROP TABLE accounts; --', '<script>alert(1)</script>', '${7*7}', '{{7*7}}',
  '//evil.example', 'https://evil.example/', 'javascript:alert(1)', '\\\\evil.example', 'null', 'undefined', 'NaN', '-1', '1e309',
  'x'.repeat(300), 'é'.repeat(5000), '𝒜'.repeat(1000), 'x'.repeat(70_000),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...boundaryStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 4 }) },
);

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.1, 1e-320, 2 ** 31, -(2 ** 63), true, false, null),
  fc.integer(),
  fc.double({ noNaN: true }),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileString.filter((k) => k.length < 50), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** A body built on the operation's own field names (so validation goes deep), plus extras. */
export function hostileBody(fieldNames: readonly string[]): fc.Arbitrary<unknown> {
  const named = fieldNames.length === 0
    ? fc.constant({})
    : fc.record(Object.fromEntries(fieldNames.map((name) => [name, hostileValue])), { requiredKeys: [] });
  return fc.oneof(
    { weight: 4, arbitrary: named },
    { weight: 1, arbitrary: fc.tuple(named, fc.dictionary(hostileString.filter((k) => k.length < 30), hostileValue, { maxKeys: 2 }))
      .map(([a, b]) => ({ ...b, ...(a as object) })) },
    { weight: 1, arbitrary: hostileValue },
  );
}

/** Raw payloads no JSON library would produce. */
export const hostileRawPayload = fc.constantFrom(
  '{', '{"a":', '[1,2', '"\\ud800"', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}',
  '['.repeat(20_000) + ']'.repeat(20_000), `{"a":${'1'.repeat(5000)}}`, '\u0000', '{"a":"\\u0000"}', 'null', '',
);

const printable = (s: string) => /^[\x20-\x7e]*$/.test(s);
/** Header abuse: odd content types, languages, forwarded-for chains, origins, cookies. */
export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.record({
  'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'text/plain',
    'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json, text/html'),
  'accept-language': fc.oneof(fc.constantFrom('it', 'en;q=2', 'ro-RO,xx;q=0.1', '*', 'q=;', 'x'.repeat(2000)), hostileString.filter(printable)),
  'x-forwarded-for': fc.oneof(fc.constantFrom('1.2.3.4', '::1, 10.0.0.1', 'garbage', '999.999.999.999', ','.repeat(100)), hostileString.filter(printable)),
  origin: fc.constantFrom('http://127.0.0.1:3000', 'https://evil.example', 'null', ''),
  cookie: fc.constantFrom('', 'varco_session=forged', 'varco_session=' + 'A'.repeat(5000), 'varco_session=%00', 'varco_csrf=x; varco_session=;'),
}, { requiredKeys: ['content-type'] });

/** What a response body must never show (S28). */
export const leakPattern = /\bat [\w.<>]+ \(|node_modules|\/work\/|\.ts:\d+|\b[A-Z]\w*Error: |syntax error at|SELECT [\w*, ]+ FROM|INSERT INTO|UPDATE \w+ SET|[Pp][Gg]lite|fastify@|PostgreSQL \d/;

/**
 * One digest of every table's content except counters that a refused request may rightly
 * touch (rate-limit windows) and the session's last-seen time.
 */
export async function databaseFingerprint(db: Db): Promise<string> {
  const tables = (await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  )).rows.map((row) => row.table_name).filter((name) => !['rate_limits', 'schema_migrations'].includes(name));
  const parts = tables.map((name) => `SELECT '${name}' AS t, count(*)::text AS n, coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') AS h FROM "${name}" x`);
  const rows = (await db.query<{ t: string; n: string; h: string }>(parts.join(' UNION ALL '))).rows;
  return rows.map((row) => `${row.t}:${row.n}:${row.h}`).sort().join('\n');
}
