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

/** Removes all whitespace and upper-cases ASCII letters (other characters stay, and fail the format). */
export function normaliseCodiceFiscale(input: string): string {
  return input.replace(/\s+/gu, '').replace(/[a-z]/g, (letter) => letter.toUpperCase());
}

function characterValue(char: string): number {
  const code = char.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 65; // '0'..'9' → 0..9, 'A'..'Z' → 0..25
}

/** The check letter for the first 15 characters (upper-case A-Z and 0-9) of a personal code. */
export function checkCharacter(first15: string): string {
  if (!/^[0-9A-Z]{15}$/.test(first15)) throw new RangeError('checkCharacter needs 15 characters A-Z or 0-9');
  let sum = 0;
  for (const [index, char] of [...first15].entries()) {
    const value = characterValue(char);
    sum += index % 2 === 0 ? (oddPositionValues[value] ?? 0) : value; // 0-based even index = "odd" 1st, 3rd, …
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** Replaces omocodia letters in the digit positions by their digits; null if some letter is not an omocodia letter. */
function decodeOmocodia(code: string): string | null {
  const chars = [...code];
  for (const position of digitPositions) {
    const char = chars[position] ?? '';
    if (char >= '0' && char <= '9') continue;
    const digit = omocodiaLetters.indexOf(char);
    if (digit < 0) return null;
    chars[position] = String(digit);
  }
  return chars.join('');
}

/** Day field 1-31 for men, 41-71 for women. */
function splitDayField(dayField: number): { day: number; sex: 'M' | 'F' } {
  return dayField > femaleDayOffset ? { day: dayField - femaleDayOffset, sex: 'F' } : { day: dayField, sex: 'M' };
}

function isValidDay(dayField: number, monthIndex: number): boolean {
  const { day } = splitDayField(dayField);
  const inRange = (dayField >= 1 && dayField <= 31) || (dayField >= 41 && dayField <= 71);
  return inRange && day <= (daysInMonth[monthIndex] ?? 0);
}

/** Check digit of the partita IVA scheme: even indices as is, odd indices doubled (minus 9 above 9). */
function provisionalCheckDigit(first10: string): number {
  let sum = 0;
  for (const [index, char] of [...first10].entries()) {
    const digit = Number(char);
    const doubled = digit * 2;
    sum += index % 2 === 0 ? digit : doubled > 9 ? doubled - 9 : doubled;
  }
  return (10 - (sum % 10)) % 10;
}

function parseProvisional(code: string): CfParseResult {
  if (!provisionalShape.test(code)) return { ok: false, reason: 'format' };
  if (provisionalCheckDigit(code.slice(0, 10)) !== Number(code[10])) return { ok: false, reason: 'check_digit' };
  return { ok: true, value: code as CodiceFiscale, kind: 'provisional' };
}

function parsePersonal(code: string): CfParseResult {
  if (!personalShape.test(code)) return { ok: false, reason: 'format' };
  const decoded = decodeOmocodia(code);
  if (decoded === null) return { ok: false, reason: 'format' };
  const monthIndex = monthLetters.indexOf(decoded.charAt(8));
  if (monthIndex < 0) return { ok: false, reason: 'month' };
  if (!isValidDay(Number(decoded.slice(9, 11)), monthIndex)) return { ok: false, reason: 'day' };
  if (decoded.slice(12, 15) === '000') return { ok: false, reason: 'place' };
  if (checkCharacter(code.slice(0, 15)) !== code[15]) return { ok: false, reason: 'check_character' };
  return { ok: true, value: code as CodiceFiscale, kind: 'personal' };
}

export function parseCodiceFiscale(input: string): CfParseResult {
  const code = normaliseCodiceFiscale(input);
  if (code.length === 0) return { ok: false, reason: 'empty' };
  if (code.length === 11) return parseProvisional(code);
  if (code.length === 16) return parsePersonal(code);
  return { ok: false, reason: 'length' };
}

/** Birth data of a personal code; null for a provisional (11-digit) code. */
export function deriveBirthData(cf: CodiceFiscale): BirthData | null {
  const decoded = cf.length === 16 ? decodeOmocodia(cf) : null;
  if (decoded === null) return null;
  const { day, sex } = splitDayField(Number(decoded.slice(9, 11)));
  const month = monthLetters.indexOf(decoded.charAt(8)) + 1;
  return { birthDate: { year2: Number(decoded.slice(6, 8)), month, day }, sex, placeCode: decoded.slice(11, 15) };
}

/** The two-digit year in the latest century that does not put it after today's year. */
export function fullBirthYear(year2: number, today: { year: number }): number {
  return 2000 + year2 > today.year ? 1900 + year2 : 2000 + year2;
}
