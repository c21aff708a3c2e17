// The Italian codice fiscale: the 16-character personal code (with omocodia) and the
// 11-digit provisional code. Pure: parse, validate, derive birth data.

export type CodiceFiscale = string & { readonly __brand: 'CodiceFiscale' };
export type CfInvalidReason = 'empty' | 'length' | 'format' | 'month' | 'day' | 'place' | 'check_character' | 'check_digit';

export interface BirthData {
  birthDate: { year2: number; month: number; day: number };
  sex: 'M' | 'F';
  placeCode: string;
}

const monthLetters = 'ABCDEHLMPRST';
/** In omocodia a digit is replaced by the letter at its index. */
const omocodiaLetters = 'LMNPQRSTUV';
const digitPositions = [6, 7, 9, 10, 12, 13, 14] as const;
const oddValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]; // February 29: the century is unknown

export function normaliseCodiceFiscale(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

function characterValue(char: string): number {
  return char >= '0' && char <= '9' ? char.charCodeAt(0) - 48 : char.charCodeAt(0) - 65;
}

export function checkCharacter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const value = characterValue(first15[i] ?? 'A');
    sum += i % 2 === 0 ? (oddValues[value] ?? 0) : value; // 1st, 3rd, … characters are "odd"
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** Replaces omocodia letters in the digit positions by their digits. */
function decodeOmocodia(code: string): string | null {
  const chars = [...code];
  for (const position of digitPositions) {
    const char = chars[position] ?? '';
    if (/[0-9]/.test(char)) continue;
    const digit = omocodiaLetters.indexOf(char);
    if (digit < 0) return null;
    chars[position] = String(digit);
  }
  return chars.join('');
}

function provisionalCheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = Number(first10[i]);
    if (i % 2 === 0) sum += digit;
    else sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
  }
  return (10 - (sum % 10)) % 10;
}

type ParseResult = { ok: true; value: CodiceFiscale; kind: 'personal' | 'provisional' } | { ok: false; reason: CfInvalidReason };

function parseProvisional(code: string): ParseResult {
  if (!/^\d{11}$/.test(code)) return { ok: false, reason: 'format' };
  if (provisionalCheckDigit(code) !== Number(code[10])) return { ok: false, reason: 'check_digit' };
  return { ok: true, value: code as CodiceFiscale, kind: 'provisional' };
}

function parsePersonal(code: string): ParseResult {
  if (!/^[A-Z]{6}[0-9A-Z]{2}[A-Z][0-9A-Z]{2}[A-Z][0-9A-Z]{3}[A-Z]$/.test(code)) return { ok: false, reason: 'format' };
  const decoded = decodeOmocodia(code);
  if (!decoded) return { ok: false, reason: 'format' };
  const month = monthLetters.indexOf(decoded[8] ?? '');
  if (month < 0) return { ok: false, reason: 'month' };
  const dayField = Number(decoded.slice(9, 11));
  const day = dayField > 40 ? dayField - 40 : dayField;
  if (day < 1 || day > (daysInMonth[month] ?? 31) || (dayField > 31 && dayField < 41)) return { ok: false, reason: 'day' };
  if (decoded.slice(12, 15) === '000') return { ok: false, reason: 'place' };
  if (checkCharacter(code.slice(0, 15)) !== code[15]) return { ok: false, reason: 'check_character' };
  return { ok: true, value: code as CodiceFiscale, kind: 'personal' };
}

export function parseCodiceFiscale(input: string): ParseResult {
  const code = normaliseCodiceFiscale(input);
  if (code.length === 0) return { ok: false, reason: 'empty' };
  if (code.length === 11) return parseProvisional(code);
  if (code.length === 16) return parsePersonal(code);
  return { ok: false, reason: 'length' };
}

export function deriveBirthData(cf: CodiceFiscale): BirthData | null {
  if (cf.length !== 16) return null;
  const decoded = decodeOmocodia(cf);
  if (!decoded) return null;
  const dayField = Number(decoded.slice(9, 11));
  return {
    birthDate: { year2: Number(decoded.slice(6, 8)), month: monthLetters.indexOf(decoded[8] ?? '') + 1, day: dayField > 40 ? dayField - 40 : dayField },
    sex: dayField > 40 ? 'F' : 'M',
    placeCode: decoded.slice(11, 15),
  };
}

/** The two-digit year read as the latest century that is not in the future. */
export function fullBirthYear(year2: number, today: { year: number }): number {
  return 2000 + year2 > today.year ? 1900 + year2 : 2000 + year2;
}
