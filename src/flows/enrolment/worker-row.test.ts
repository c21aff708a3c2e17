import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workerCodiceFiscale } from '../../../test/helpers/workers.ts';
import { checkWorker, mapHeader, MissingColumnError, normaliseBirthDate, normaliseName } from './worker-row.ts';

const today = new Date('2026-12-01T00:00:00Z');

test('Italian names keep their accents and apostrophes, in composed form', () => {
  assert.equal(normaliseName("  D'Angelo "), "D'Angelo");
  assert.equal(normaliseName('Dell’Acqua'), 'Dell’Acqua');
  assert.equal(normaliseName('Nicolo\u0300'), 'Nicolò', 'decomposed accent composed (NFC)');
  assert.equal(normaliseName('De  Luca-Bianchi'), 'De Luca-Bianchi');
  for (const bad of ['', '<script>', 'Anna2', "'", 'x'.repeat(101)]) assert.equal(normaliseName(bad), null, bad);
});

test('birth dates in ISO or Italian form, real and not in the future', () => {
  assert.equal(normaliseBirthDate('10/12/1985', today), '1985-12-10');
  assert.equal(normaliseBirthDate('1985-12-10', today), '1985-12-10');
  assert.equal(normaliseBirthDate('29/02/2023', today), null);
  assert.equal(normaliseBirthDate('01/01/2030', today), null);
  assert.equal(normaliseBirthDate('12-1985', today), null);
});

test('header names in English or Italian, any case; a missing column is named', () => {
  assert.deepEqual(mapHeader(['Codice Fiscale', 'NOME', 'cognome', 'E-mail', 'cellulare', 'note']),
    ['codiceFiscale', 'firstName', 'lastName', 'email', 'mobile', null]);
  assert.throws(() => mapHeader(['codiceFiscale', 'firstName', 'lastName', 'email']), (e: unknown) => e instanceof MissingColumnError && e.field === 'mobile');
});

test('a row is normalised or rejected naming its field', () => {
  const good = { codiceFiscale: ` ${workerCodiceFiscale(7).toLowerCase()} `, firstName: 'Anna', lastName: 'Neri', email: 'Anna@Example.IT', mobile: '347 123 4567' };
  const checked = checkWorker(3, good, today);
  assert.ok(checked.ok);
  assert.equal(checked.worker.codiceFiscale, workerCodiceFiscale(7));
  assert.equal(checked.worker.email, 'anna@example.it');
  assert.equal(checked.worker.mobile, '+393471234567');
  assert.equal(checked.worker.birthDate, null);
  assert.deepEqual(checkWorker(4, { ...good, mobile: '' }, today), { ok: false, rejection: { row: 4, code: 'missing_field', field: 'mobile' } });
  assert.deepEqual(checkWorker(5, { ...good, email: 'a@b' }, today), { ok: false, rejection: { row: 5, code: 'invalid_field', field: 'email' } });
  assert.deepEqual(checkWorker(5, { ...good, email: 'an\u0000na@example.it' }, today), { ok: false, rejection: { row: 5, code: 'invalid_field', field: 'email' } });
  assert.deepEqual(checkWorker(6, { ...good, codiceFiscale: 'RSSMRA85T10A562X' }, today),
    { ok: false, rejection: { row: 6, code: 'invalid_codice_fiscale', field: 'codiceFiscale' } });
});
