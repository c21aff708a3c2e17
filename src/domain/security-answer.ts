// The answer to the security question is compared ignoring case, accents and spaces, so that
// "Nicolò Rossi" and "nicolorossi" match: people remember the words, not how they typed them.
// Only the normalised form is ever hashed.

export const minAnswerLength = 3; // after normalising: shorter answers are guessed at once

export function normaliseSecurityAnswer(answer: string): string {
  return answer
    .normalize('NFKD') // split letters from their accents (and fold compatibility forms)
    .replace(/\p{M}/gu, '') // drop the accents
    .toLowerCase()
    .replace(/[\s\u200B-\u200D\uFEFF]+/gu, '') // every kind of space, zero-width ones too
    .normalize('NFC');
}
