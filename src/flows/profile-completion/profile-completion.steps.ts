// First access, after the password (NoiPA's "Modifica dati personali"): verify the email, set
// the security question, verify the mobile — in that order, each its own step.
import { AppError } from '../../domain/errors.ts';
import { minAnswerLength, normaliseSecurityAnswer } from '../../domain/security-answer.ts';
import type { AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { FlowDeps } from '../deps.ts';
import { requireWithinLimit } from '../rate-limit.ts';
import type { RequestMeta } from '../request-meta.ts';
import { markEmailVerified, markMobileVerified, storeSecurityQuestion } from './profile-completion.repo.ts';
import { codeTtlSeconds, issueCode, spendCode } from './verification-codes.ts';

export type VerifiedChannel = 'email' | 'mobile';
const codesPerHour = 5; // with 5 attempts a code, at most 25 guesses an hour at 1 in a million each

const actor = (account: AccountRow) => `citizen:${account.codice_fiscale}`;

/** Sends a code to the registered email or mobile (the one to be proved). */
export async function sendVerificationCode(deps: FlowDeps, account: AccountRow, channel: VerifiedChannel): Promise<void> {
  const target = channel === 'email' ? account.email : account.mobile;
  if (!target) throw new AppError('conflict', {}, `the account has no registered ${channel}`);
  await requireWithinLimit(deps, `verify-${channel}:account:${account.id}`, codesPerHour, 3600);
  await deps.db.transaction(async (tx) => {
    const code = await issueCode(tx, deps, { accountId: account.id, purpose: channel === 'email' ? 'verify_email' : 'verify_mobile', target });
    await deps.outbox.enqueue(tx, { channel: channel === 'email' ? 'email' : 'sms', to: target, kind: 'contact_verification_code',
      language: account.language, params: { code, validMinutes: String(codeTtlSeconds / 60) } });
  });
}

export async function confirmVerificationCode(deps: FlowDeps, account: AccountRow, channel: VerifiedChannel, code: string, meta: RequestMeta): Promise<void> {
  await spendCode(deps, { accountId: account.id, purpose: channel === 'email' ? 'verify_email' : 'verify_mobile', code }, async (tx, target) => {
    const now = deps.clock.now();
    const marked = channel === 'email' ? await markEmailVerified(tx, account.id, target, now) : await markMobileVerified(tx, account.id, target, now);
    // The contact changed since the code was sent: the code proved an address no longer registered.
    if (!marked) throw new AppError('invalid_code', { attemptsLeft: 0 });
    await recordAudit(tx, now, { type: `${channel}_verified`, actor: actor(account), accountId: account.id, ...meta, outcome: 'success' });
  });
}

export async function setSecurityQuestion(deps: FlowDeps, account: AccountRow, input: { question: string; answer: string }, meta: RequestMeta): Promise<void> {
  const question = input.question.normalize('NFC').trim().replace(/\s+/g, ' ');
  const answer = normaliseSecurityAnswer(input.answer);
  if (question.length < 5) throw new AppError('invalid_request', { errors: [{ field: 'question', message: 'too short' }] });
  if ([...answer].length < minAnswerLength) throw new AppError('invalid_request', { errors: [{ field: 'answer', message: 'too short' }] });
  const answerHash = await deps.hasher.hash(answer);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await storeSecurityQuestion(tx, account.id, question, answerHash, now);
    await recordAudit(tx, now, { type: 'security_question_set', actor: actor(account), accountId: account.id, ...meta, outcome: 'success' });
  });
}

/** For recovery: whether `answer` is the stored one (argon2id of the normalised form). */
export async function securityAnswerMatches(deps: Pick<FlowDeps, 'hasher'>, account: { security_answer_hash?: string | null }, answer: string): Promise<boolean> {
  if (!account.security_answer_hash) return false;
  return deps.hasher.verify(account.security_answer_hash, normaliseSecurityAnswer(answer));
}
