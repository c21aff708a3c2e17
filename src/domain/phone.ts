// Mobile numbers in E.164. Italian numbers without a prefix get +39.

/** Returns the E.164 form, or null when the input is not a plausible mobile number. */
export function normaliseMobile(input: string): string | null {
  const compact = input.replace(/[\s().-]/g, '');
  let international: string;
  if (compact.startsWith('+')) international = compact;
  else if (compact.startsWith('00')) international = `+${compact.slice(2)}`;
  else international = `+39${compact}`;
  if (!/^\+\d{8,15}$/.test(international)) return null;
  if (international.startsWith('+39')) {
    const national = international.slice(3);
    if (!/^3\d{8,9}$/.test(national)) return null; // Italian mobiles start with 3
  }
  return international;
}
