// Mobile numbers in E.164, the form stored and compared (API.md, enrolment and recovery).
// Italian numbers without a prefix get +39; spaces, dashes, dots, brackets and a 00 prefix
// are tolerated because that is how people copy numbers from forms and spreadsheets.

const italianMobile = /^\+393\d{8,9}$/; // after +39: mobiles start with 3, 9 or 10 digits
const e164 = /^\+[1-9]\d{7,14}$/; // a country code never starts with 0; 8 to 15 digits in all

/** Returns the E.164 form, or null when the input is not a plausible mobile number. */
export function normaliseMobile(input: string): string | null {
  const compact = input.replace(/[\s().-]/g, '');
  let international: string;
  if (compact.startsWith('+')) international = compact;
  else if (compact.startsWith('00')) international = `+${compact.slice(2)}`;
  else international = `+39${compact}`;
  if (!e164.test(international)) return null;
  if (international.startsWith('+39') && !italianMobile.test(international)) return null;
  return international;
}
