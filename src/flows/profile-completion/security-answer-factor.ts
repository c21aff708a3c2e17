// The security question as an EXTRA factor of recovery (issue 12): when the account has one,
// completing a password or PIN recovery needs its answer beside the link or code — never in
// their place. A wrong answer counts toward the account lockout like a wrong password (S15);
// while the account is locked recovery keeps working (S15 again), and an hourly allowance of
// answers per account bounds the guesses then. Answers are compared ignoring case, accents
// and spaces (domain/security-answer.ts) against their argon2id hash.
import { AppError } from '../../domain/errors.ts';
import { normaliseSecurityAnswer } from '../../domain/security-answer.ts';
import { findAccountById, type AccountRow } from '../../store/accounts.repo.ts';
import { findLink } from '../credentials/one-time-secret.ts';
import type { FlowDeps } from '../deps.ts';
import { requireWithinLimit } from '../rate-limit.ts';
import type { RequestMeta } from '../request-meta.ts';
import { verifyWithLockout } from '../sign-in/verify-with-lockout.ts';

const answersPerAccountPerHour = 10; // above the lockout threshold: a locked account can still recover (S15)

type WithQuestion = { security_question?: string | null; security_answer_hash?: string | null };

/** The account's question, or null when it has none (then no answer is asked). */
export function securityQuestionOf(account: AccountRow | null): string | null {
  const row = account as (AccountRow & WithQuestion) | null;
  return row?.security_answer_hash && row.security_question ? row.security_question : null;
}

function answerHashOf(account: AccountRow): string | null {
  return (account as AccountRow & WithQuestion).security_answer_hash ?? null;
}

/** The question to show on the new-password page of a recovery link (null: none, or not a live link). */
export async function securityQuestionForLink(deps: Pick<FlowDeps, 'db'>, token: string): Promise<string | null> {
  const link = await findLink(deps.db, 'password_reset_link', token);
  return link?.account_id ? securityQuestionOf(await findAccountById(deps.db, link.account_id)) : null;
}

/**
 * For a completion whose link or code is already proved: nothing when the account has no
 * question; otherwise the answer must be given (400 naming the field, with the question) and
 * right (401 invalid_credentials, counted toward the lockout; 423 when that locks it).
 */
export async function requireSecurityAnswer(deps: FlowDeps, account: AccountRow, answer: string | undefined, meta: RequestMeta): Promise<void> {
  const storedHash = answerHashOf(account);
  if (!storedHash) return;
  if (!answer || normaliseSecurityAnswer(answer) === '') {
    throw new AppError('invalid_request', { errors: [{ field: 'securityAnswer', message: 'the account has a security question' }],
      securityQuestion: securityQuestionOf(account) });
  }
  await requireWithinLimit(deps, `security-answer:account:${account.id}`, answersPerAccountPerHour, 3600);
  const secret = normaliseSecurityAnswer(answer);
  try {
    await verifyWithLockout(deps, { codiceFiscale: account.codice_fiscale, account, storedHash, secret }, meta);
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'account_locked')) throw error;
    // Recovery works while locked (S15): the answer is still checked, within the hourly allowance.
    if (!(await deps.hasher.verify(storedHash, secret))) throw new AppError('invalid_credentials');
  }
}

/**
 * For checks that must not tell what failed (PIN recovery answers 202 whatever happened):
 * true when the account has no question or the answer is right. The caller runs it inside
 * its own lockout-counted check, after the code matched, so a wrong answer is a failure there.
 */
export async function securityAnswerHolds(deps: Pick<FlowDeps, 'hasher'>, account: AccountRow | null, answer: string | undefined): Promise<boolean> {
  const storedHash = account ? answerHashOf(account) : null;
  if (!storedHash) return true;
  if (!answer || normaliseSecurityAnswer(answer) === '') return false;
  return deps.hasher.verify(storedHash, normaliseSecurityAnswer(answer));
}
