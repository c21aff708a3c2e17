// The Italian codice fiscale: the 16-character personal code (with omocodia) and the
// 11-digit provisional code. Pure: normalise, parse with a named reason, derive birth data.

export type CodiceFiscale = string & { readonly __brand: 'CodiceFiscale' };
export type CfInvalidReason = 'empty' | 'length' | 'format' | 'month' | 'day' | 'place' | 'check_character' | 'check_digit';
export type CfKind = 'personal' | 'provisional';
export type CfParseResult = { ok: true; value: CodiceFiscale; kind: CfKind } | { ok: false; reason: CfInvalidReason };

export interface BirthData {
  birthDate: { year2: number; month: number; day: number };
  sex: 'M' | 'F';
  /** Belfiore code with omocodia letters decoded to digits, e.g. 'H501'. */
  placeCode: string;
}

/** January..December. */
const monthLetters = 'ABCDEHLMPRST';
/** In omocodia the digit d is replaced by the letter at index d. */
const omocodiaLetters = 'LMNPQRSTUV';
const digitPositions: readonly number[] = [6, 7, 9, 10, 12, 13, 14];
/** Check-character values of the 1st, 3rd, … characters, indexed by the character's value (0-9, A-Z = 0-25). */
const oddPositionValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
/** February counts 29: the century, hence the leap year, is unknown. */
const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const femaleDayOffset = 40;

/** Shape before omocodia decoding: letters where letters go, a digit or a letter in the digit positions. */
const personalShape = /^[A-Z]{6}[0-9A-Z]{2}[A-Z][0-9A-Z]{2}[A-Z][0-9A-Z]{3}[A-Z]$/;
const provisionalShape = /^[0-9]{11}$/;
const checkInputShape = /^[0-9A-Z]{15}$/;
const onlyUpperAndDigits = /^[0-9A-Z]*$/;

// The parsing below reads character codes in place: it runs for every row of a 100,000-row
// enrolment, where one array or substring per character was most of the upload's garbage.

/** Removes all whitespace and upper-cases ASCII letters (other characters stay, and fail the format). */
export function normaliseCodiceFiscale(input: string): string {
  if (onlyUpperAndDigits.test(input)) return input; // the usual case: already normalised, nothing to copy
  return input.replace(/\s+/gu, '').replace(/[a-z]/g, (letter) => letter.toUpperCase());
}

/** '0'..'9' → 0..9, 'A'..'Z' → 0..25, for the character code of an upper-case letter or a digit. */
function characterValue(code: number): number {
  return code <= 57 ? code - 48 : code - 65;
}

/** The check letter for the first 15 characters (upper-case A-Z and 0-9) of a personal code. */
export function checkCharacter(first15: string): string {
  if (!checkInputShape.test(first15)) throw new RangeError('checkCharacter needs 15 characters A-Z or 0-9');
  return String.fromCharCode(65 + checkSum(first15));
}

/** The check sum (0..25) over the first 15 characters of `code`, already known to be A-Z or 0-9. */
function checkSum(code: string): number {
  let sum = 0;
  for (let index = 0; index < 15; index++) {
    const value = characterValue(code.charCodeAt(index));
    sum += index % 2 === 0 ? (oddPositionValues[value] ?? 0) : value; // 0-based even index = "odd" 1st, 3rd, …
  }
  return sum % 26;
}

/** The digit at `position` with omocodia decoded (a letter L..V stands for 0..9); -1 for any other letter. */
function digitAt(code: string, position: number): number {
  const char = code.charCodeAt(position);
  if (char >= 48 && char <= 57) return char - 48;
  return omocodiaLetters.indexOf(code.charAt(position));
}

/** `count` decoded digits from `position` as a number; -1 if one of them is not a digit or an omocodia letter. */
function numberAt(code: string, position: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const digit = digitAt(code, position + i);
    if (digit < 0) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Every digit position holds a digit or an omocodia letter. */
function decodesOmocodia(code: string): boolean {
  for (const position of digitPositions) if (digitAt(code, position) < 0) return false;
  return true;
}

/** Day field 1-31 for men, 41-71 for women. */
function splitDayField(dayField: number): { day: number; sex: 'M' | 'F' } {
  return dayField > femaleDayOffset ? { day: dayField - femaleDayOffset, sex: 'F' } : { day: dayField, sex: 'M' };
}

function isValidDay(dayField: number, monthIndex: number): boolean {
  const day = dayField > femaleDayOffset ? dayField - femaleDayOffset : dayField;
  const inRange = (dayField >= 1 && dayField <= 31) || (dayField >= 41 && dayField <= 71);
  return inRange && day <= (daysInMonth[monthIndex] ?? 0);
}

/** Check digit of the partita IVA scheme: even indices as is, odd indices doubled (minus 9 above 9). */
function provisionalCheckDigit(code: string): number {
  let sum = 0;
  for (let index = 0; index < 10; index++) {
    const digit = code.charCodeAt(index) - 48;
    const doubled = digit * 2;
    sum += index % 2 === 0 ? digit : doubled > 9 ? doubled - 9 : doubled;
  }
  return (10 - (sum % 10)) % 10;
}

const invalid = {
  format: { ok: false, reason: 'format' }, month: { ok: false, reason: 'month' }, day: { ok: false, reason: 'day' },
  place: { ok: false, reason: 'place' }, check_character: { ok: false, reason: 'check_character' },
  check_digit: { ok: false, reason: 'check_digit' }, empty: { ok: false, reason: 'empty' }, length: { ok: false, reason: 'length' },
} as const satisfies Record<CfInvalidReason, CfParseResult>;

function parseProvisional(code: string): CfParseResult {
  if (!provisionalShape.test(code)) return invalid.format;
  if (provisionalCheckDigit(code) !== code.charCodeAt(10) - 48) return invalid.check_digit;
  return { ok: true, value: code as CodiceFiscale, kind: 'provisional' };
}

function parsePersonal(code: string): CfParseResult {
  if (!personalShape.test(code) || !decodesOmocodia(code)) return invalid.format;
  const monthIndex = monthLetters.indexOf(code.charAt(8));
  if (monthIndex < 0) return invalid.month;
  if (!isValidDay(numberAt(code, 9, 2), monthIndex)) return invalid.day;
  if (numberAt(code, 12, 3) === 0) return invalid.place; // the digits of 'Z000' and its omocodia forms
  if (65 + checkSum(code) !== code.charCodeAt(15)) return invalid.check_character;
  return { ok: true, value: code as CodiceFiscale, kind: 'personal' };
}

export function parseCodiceFiscale(input: string): CfParseResult {
  const code = normaliseCodiceFiscale(input);
  if (code.length === 0) return invalid.empty;
  if (code.length === 11) return parseProvisional(code);
  if (code.length === 16) return parsePersonal(code);
  return invalid.length;
}

/** Birth data of a personal code; null for a provisional (11-digit) code. */
export function deriveBirthData(cf: CodiceFiscale): BirthData | null {
  if (cf.length !== 16 || !decodesOmocodia(cf)) return null;
  const { day, sex } = splitDayField(numberAt(cf, 9, 2));
  const month = monthLetters.indexOf(cf.charAt(8)) + 1;
  const placeCode = cf.charAt(11) + String(numberAt(cf, 12, 3)).padStart(3, '0');
  return { birthDate: { year2: numberAt(cf, 6, 2), month, day }, sex, placeCode };
}

/** The two-digit year in the latest century that does not put it after today's year. */
export function fullBirthYear(year2: number, today: { year: number }): number {
  return 2000 + year2 > today.year ? 1900 + year2 : 2000 + year2;
}
