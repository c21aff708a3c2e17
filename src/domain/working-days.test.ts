import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addWorkingDays, easterSunday, formatCivilDate, isWorkingDay, romeDate, type CivilDate } from './working-days.ts';

const d = (iso: string): CivilDate => { const [year, month, day] = iso.split('-').map(Number); return { year: year!, month: month!, day: day! }; };
const due = (start: string, days = 5) => formatCivilDate(addWorkingDays(d(start), days));

test('Easter Sunday is computed for known years', () => {
  assert.deepEqual(['2024', '2025', '2026', '2027', '2038'].map((y) => formatCivilDate(easterSunday(Number(y)))),
    ['2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28', '2038-04-25']);
});

test('due dates skip weekends and national holidays', () => {
  assert.equal(due('2026-11-20'), '2026-11-27', 'Friday + 5 crosses one weekend');
  assert.equal(due('2026-12-24'), '2027-01-04', 'Christmas, Santo Stefano, New Year and two weekends');
  assert.equal(due('2026-12-22'), '2026-12-30', 'Christmas and a weekend');
  assert.equal(due('2026-04-02'), '2026-04-10', 'Easter Monday 2026-04-06');
  assert.equal(due('2025-04-24'), '2025-05-05', '25 April (Friday), 1 May and two weekends');
  assert.equal(due('2026-05-29'), '2026-06-08', '2 June');
  assert.equal(due('2026-11-24', 1), '2026-11-25');
});

test('an instant is dated in Italian time', () => {
  assert.deepEqual(romeDate(new Date('2026-12-31T23:30:00Z')), { year: 2027, month: 1, day: 1 });
});

test('property: the due date is a working day, after the start, and never earlier for a later start', () => {
  const date = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
    .map((instant) => ({ year: instant.getUTCFullYear(), month: instant.getUTCMonth() + 1, day: instant.getUTCDate() }));
  fc.assert(fc.property(date, fc.integer({ min: 1, max: 30 }), (start, days) => {
    const end = addWorkingDays(start, days);
    assert.ok(isWorkingDay(end));
    assert.ok(formatCivilDate(end) > formatCivilDate(start));
    const next = addWorkingDays(addWorkingDays(start, 1), days);
    assert.ok(formatCivilDate(next) >= formatCivilDate(end));
  }));
});

test('Italian wall-clock times become the right instants, summer and winter', async () => {
  const { romeInstant } = await import('./working-days.ts');
  assert.equal(romeInstant(d('2026-12-01'), 9 * 60).toISOString(), '2026-12-01T08:00:00.000Z');
  assert.equal(romeInstant(d('2026-07-01'), 9 * 60).toISOString(), '2026-07-01T07:00:00.000Z');
});
