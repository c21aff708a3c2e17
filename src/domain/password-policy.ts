// Password policy (S12 of SECURITY.md). Pure: no I/O beyond loading the zxcvbn dictionaries,
// no clock. Two profiles, chosen by config PASSWORD_POLICY:
//   classic (default): 8–64 code points, lower + upper + digit + symbol; expiry handled elsewhere.
//   asvs:              15–128 code points, no composition rules, no expiry.
// Both: NFKC first (the same normalised string is what gets hashed), length in code points,
// never truncate; reject common passwords (zxcvbn-ts, common + Italian dictionaries, score < 3)
// and passwords containing the person's data or the service name.
// Reuse of the last 5 passwords needs the stored hashes, so it is NOT checked here: the caller
// (the flow) verifies normalisePassword(pw) against the history hashes and appends 'reused'.
import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as it from '@zxcvbn-ts/language-it';

export type PasswordProfile = 'classic' | 'asvs';

export type PolicyViolation =
  | 'too_short'
  | 'too_long'
  | 'missing_lowercase'
  | 'missing_uppercase'
  | 'missing_digit'
  | 'missing_symbol'
  | 'too_common'
  | 'contains_personal_data'
  | 'reused';

/** The stable order in which reasons are reported. */
export const POLICY_VIOLATIONS: readonly PolicyViolation[] = [
  'too_short', 'too_long', 'missing_lowercase', 'missing_uppercase', 'missing_digit',
  'missing_symbol', 'too_common', 'contains_personal_data', 'reused',
];

export interface PersonalData {
  codiceFiscale?: string;
  firstName?: string;
  lastName?: string;
  birthDate?: { year: number; month: number; day: number };
}

export const passwordRules: Record<
  PasswordProfile,
  { minLength: number; maxLength: number; composition: boolean; expires: boolean }
> = {
  classic: { minLength: 8, maxLength: 64, composition: true, expires: true },
  // ASVS wants long passphrases accepted; 128 code points still bounds the hashing work.
  asvs: { minLength: 15, maxLength: 128, composition: false, expires: false },
};

const SERVICE_NAME = 'varco';
const MIN_SCORE = 3;
// zxcvbn runs synchronously on the event loop and its l33t matcher explodes on l33t-heavy input
// (zxcvbn-ts issues #164, #228): with the defaults a crafted 64-char password took ~2 s, 128 chars
// ~9 s. So it scores only the first 64 code points (the whole of any classic password; for a longer
// asvs password, a guessable prefix is rejected, which errs on the safe side) with at most 5 l33t
// variants: the worst crafted inputs found take ~100-250 ms (typical ~10 ms), and the usual l33t
// spellings (P@ssw0rd1!, P4$$w0rd!) are still caught.
const ZXCVBN_INPUT_LENGTH = 64;

/**
 * Sets zxcvbn up (once, at module load). `merged` (the default) folds the five word lists
 * (common passwords; Italian words, first names, surnames, Wikipedia) into one table keyed by
 * word, each word at the best rank a list gives it. zxcvbn scans the password once per table (and
 * once more per l33t variant) and scores a dictionary match by its rank alone, so one table gives
 * the same scores as five at about 40 % of the cost (issue 14: 6.6 → 2.9 ms a password), and is
 * built without the five intermediate tables. Diceware stays apart: zxcvbn scores its words
 * differently. Exported for the test that compares the two.
 */
export function configureStrengthEstimator(merged = true): void {
  const { diceware, ...commonLists } = common.dictionary;
  const lists = { ...commonLists, ...it.dictionary }; // the two languages' list names do not overlap
  zxcvbnOptions.setOptions({
    dictionary: merged ? { diceware } : { diceware, ...lists },
    graphs: common.adjacencyGraphs,
    translations: it.translations,
    l33tMaxSubstitutions: 5,
  });
  if (!merged) return;
  const { words, longest } = mergedWordTable(Object.values(lists));
  zxcvbnOptions.rankedDictionaries.words = words;
  zxcvbnOptions.rankedDictionariesMaxWordSize.words = longest;
}

function mergedWordTable(lists: readonly (readonly (string | number)[])[]): { words: Record<string, number>; longest: number } {
  const words = Object.create(null) as Record<string, number>;
  let longest = 0;
  for (const list of lists) {
    const ranks = new Map<string, number>(); // as zxcvbn ranks a list: a repeated word keeps its last place
    list.forEach((word, i) => ranks.set(String(word), i + 1));
    for (const [word, rank] of ranks) {
      const known = words[word];
      if (known === undefined || rank < known) words[word] = rank;
      longest = Math.max(longest, word.length);
    }
  }
  return { words, longest };
}

configureStrengthEstimator();

/** NFKC. Apply before every check and before hashing, at sign-up and at login alike. */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Lower-case and keep only letters and digits, so "Ros-si 85" compares as "rossi85". */
function compact(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The forbidden substrings, already compacted; empty strings dropped. */
function personalTokens(person: PersonalData): string[] {
  const tokens = [SERVICE_NAME];
  if (person.codiceFiscale) tokens.push(compact(person.codiceFiscale));
  for (const name of [person.firstName, person.lastName]) {
    for (const part of (name ?? '').split(/[^\p{L}]+/u)) {
      if ([...part].length >= 3) tokens.push(compact(part));
    }
  }
  const b = person.birthDate;
  if (b) {
    const [yyyy, mm, dd] = [pad(b.year, 4), pad(b.month, 2), pad(b.day, 2)];
    tokens.push(yyyy, dd + mm + yyyy, dd + mm + yyyy.slice(-2), yyyy + mm + dd);
  }
  return tokens.filter((t) => t.length > 0);
}

/**
 * Every rule the password breaks, in POLICY_VIOLATIONS order, without duplicates; [] = accepted.
 * Never returns 'reused' (see the header). The password is normalised here as well.
 */
export function checkPasswordPolicy(
  password: string,
  profile: PasswordProfile,
  person: PersonalData,
): PolicyViolation[] {
  const rules = passwordRules[profile];
  const pw = normalisePassword(password);
  const length = [...pw].length;
  const out: PolicyViolation[] = [];

  if (length < rules.minLength) out.push('too_short');
  if (length > rules.maxLength) out.push('too_long');
  if (rules.composition) {
    if (!/\p{Ll}/u.test(pw)) out.push('missing_lowercase');
    if (!/\p{Lu}/u.test(pw)) out.push('missing_uppercase');
    if (!/\p{Nd}/u.test(pw)) out.push('missing_digit');
    // Symbol: anything that is neither a letter nor a decimal digit (a space counts).
    if (!/[^\p{L}\p{Nd}]/u.test(pw)) out.push('missing_symbol');
  }

  // zxcvbn keeps user inputs in module-global state and replaces them on every call that passes
  // a list; tokens always holds SERVICE_NAME, so one person's data never leaks into the next call.
  const tokens = personalTokens(person);
  const scored = [...pw].slice(0, ZXCVBN_INPUT_LENGTH).join('');
  if (zxcvbn(scored, tokens).score < MIN_SCORE) out.push('too_common');

  const haystack = compact(pw);
  if (tokens.some((t) => haystack.includes(t))) out.push('contains_personal_data');

  return out;
}
