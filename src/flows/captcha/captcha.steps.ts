// S18 of SECURITY.md: a self-hosted captcha that needs no third party and no JavaScript:
// an arithmetic question in words, readable by screen readers, answered once within
// ten minutes. It slows scripted abuse; the rate limits and lockout do the rest.
import { addSeconds } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { constantTimeEqual, hashToken, newToken } from '../../domain/secrets.ts';
import type { Language } from '../../domain/language.ts';
import type { FlowDeps } from '../deps.ts';
import { consumeChallenge, insertChallenge } from './captcha.repo.ts';

const challengeTtlSeconds = 10 * 60; // 10 minutes

const numberWords: Record<Language, string[]> = {
  it: ['zero', 'uno', 'due', 'tre', 'quattro', 'cinque', 'sei', 'sette', 'otto', 'nove', 'dieci'],
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'],
  ro: ['zero', 'unu', 'doi', 'trei', 'patru', 'cinci', 'șase', 'șapte', 'opt', 'nouă', 'zece'],
};

const questionText: Record<Language, (a: string, b: string) => string> = {
  it: (a, b) => `Quanto fa ${a} più ${b}? Scrivi il risultato in cifre.`,
  en: (a, b) => `What is ${a} plus ${b}? Write the result in digits.`,
  ro: (a, b) => `Cât fac ${a} plus ${b}? Scrieți rezultatul în cifre.`,
};

export interface CaptchaChallenge {
  challenge: string;
  question: string;
}

function answerHash(challenge: string, answer: string): string {
  return hashToken(`${challenge}:${answer.trim()}`);
}

export async function issueCaptcha(deps: Pick<FlowDeps, 'db' | 'clock' | 'random'>, language: Language): Promise<CaptchaChallenge> {
  const a = deps.random.int(1, 11);
  const b = deps.random.int(1, 11);
  const challenge = newToken(deps.random);
  await insertChallenge(deps.db, {
    idHash: hashToken(challenge), answerHash: answerHash(challenge, String(a + b)), expiresAt: addSeconds(deps.clock.now(), challengeTtlSeconds),
  });
  const words = numberWords[language];
  return { challenge, question: questionText[language](words[a] ?? String(a), words[b] ?? String(b)) };
}

/** `captcha` is "<challenge>:<answer>". Each challenge is consumed by its first use, right or wrong. */
export async function requireCaptcha(deps: Pick<FlowDeps, 'db' | 'clock' | 'config'>, captcha: string | undefined): Promise<void> {
  if (!deps.config.captcha) return;
  const [challenge = '', answer = ''] = (captcha ?? '').split(':', 2);
  const stored = await consumeChallenge(deps.db, hashToken(challenge), deps.clock.now());
  if (!stored || !constantTimeEqual(stored, answerHash(challenge, answer))) throw new AppError('invalid_captcha');
}
