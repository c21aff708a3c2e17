// Development only: the people the test IdP can vouch for. The first two are the seeded
// citizens (src/dev/seed.ts); the third has a valid codice fiscale but no Varco account.
export interface TestIdentity {
  key: string;
  codiceFiscale: string;
  name: string;
  familyName: string;
  dateOfBirth: string;
}

export const testIdentities: readonly TestIdentity[] = [
  { key: 'mario', codiceFiscale: 'RSSMRA85T10A562S', name: 'Mario', familyName: 'Rossi', dateOfBirth: '1985-12-10' },
  { key: 'giulia', codiceFiscale: 'BNCGLI90C55H501W', name: 'Giulia', familyName: 'Bianchi', dateOfBirth: '1990-03-15' },
  { key: 'luigi', codiceFiscale: 'VRDLGU80A01F205T', name: 'Luigi', familyName: 'Verdi', dateOfBirth: '1980-01-01' },
];

/** The outcomes the test IdP can answer with; failures carry the official SPID codes. */
export const outcomes = {
  ok: null,
  cancelled: 'nr25',
  wrong_level: 'nr20',
  disabled: 'nr23',
  too_many_attempts: 'nr19',
  timeout: 'nr21',
  denied_consent: 'nr22',
} as const;
export type Outcome = keyof typeof outcomes;

export function attributesOf(identity: TestIdentity): Record<string, string> {
  return { fiscalNumber: `TINIT-${identity.codiceFiscale}`, name: identity.name, familyName: identity.familyName, dateOfBirth: identity.dateOfBirth };
}
