import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { dateFormats } from './date-format.ts';

const options = { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Rome' } as const;

test('a locale\'s format is built once and reused', () => {
  const formats = dateFormats(options);
  assert.equal(formats('it'), formats('it'));
  assert.notEqual(formats('it'), formats('ro'));
  assert.equal(formats('en').resolvedOptions().locale, 'en');
});

test('the kept format writes what a fresh one writes, for any instant and language', () => {
  const formats = dateFormats(options);
  fc.assert(fc.property(
    fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
    fc.constantFrom('it', 'en', 'ro'),
    (instant, locale) => formats(locale).format(instant) === new Intl.DateTimeFormat(locale, options).format(instant),
  ));
});
