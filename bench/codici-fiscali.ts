import { checkCharacter } from '../src/domain/codice-fiscale.ts';

/** n distinct valid personal codici fiscali (varying the place code). */
export function validCodiciFiscali(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const first15 = `RSSMRA85T10A${String(i + 1).padStart(3, '0')}`;
    return first15 + checkCharacter(first15);
  });
}
