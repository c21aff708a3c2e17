// Service levels in Italian working days: weekends and national holidays do not count.
// Easter Monday moves every year, so Easter is computed (anonymous Gregorian algorithm).
import { dateFormats } from './date-format.ts';

const romeDayFormat = dateFormats({ timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' });
const romeOffsetFormat = dateFormats({ timeZone: 'Europe/Rome', timeZoneName: 'shortOffset' });

/** A calendar date, independent of time zones. */
export interface CivilDate {
  year: number;
  month: number; // 1–12
  day: number;
}

export function easterSunday(year: number): CivilDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

const fixedHolidays = ['01-01', '01-06', '04-25', '05-01', '06-02', '08-15', '11-01', '12-08', '12-25', '12-26'];

function toUtc(date: CivilDate): Date {
  return new Date(Date.UTC(date.year, date.month - 1, date.day));
}

function fromUtc(date: Date): CivilDate {
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function formatCivilDate(date: CivilDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

export function isItalianHoliday(date: CivilDate): boolean {
  if (fixedHolidays.includes(formatCivilDate(date).slice(5))) return true;
  const easterMonday = fromUtc(new Date(toUtc(easterSunday(date.year)).getTime() + 86_400_000));
  return easterMonday.month === date.month && easterMonday.day === date.day;
}

export function isWorkingDay(date: CivilDate): boolean {
  const weekday = toUtc(date).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isItalianHoliday(date);
}

/** The date `days` working days after `start` (the start day itself does not count). */
export function addWorkingDays(start: CivilDate, days: number): CivilDate {
  let cursor = toUtc(start);
  let left = days;
  while (left > 0) {
    cursor = new Date(cursor.getTime() + 86_400_000);
    if (isWorkingDay(fromUtc(cursor))) left--;
  }
  return fromUtc(cursor);
}

/** The calendar date in Italy of an instant. */
export function romeDate(instant: Date): CivilDate {
  const [year, month, day] = romeDayFormat('en-CA').format(instant).split('-').map(Number);
  return { year: year!, month: month!, day: day! };
}

/** The instant of a local Italian wall-clock time on a date (daylight saving included). */
export function romeInstant(date: CivilDate, minutesOfDay: number): Date {
  const naive = Date.UTC(date.year, date.month - 1, date.day, 0, minutesOfDay);
  const offsetAt = (instant: number) => {
    const name = romeOffsetFormat('en-US').formatToParts(new Date(instant)).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT+1';
    const match = /GMT([+-]\d+)(?::(\d+))?/.exec(name);
    return match ? Number(match[1]) * 60 + Math.sign(Number(match[1])) * Number(match[2] ?? 0) : 0;
  };
  return new Date(naive - offsetAt(naive - offsetAt(naive) * 60_000) * 60_000);
}
