// Assisted recovery, the citizen's side (S2, S7, S18, S29): a request with an identity
// document, confirmed by email within 48 hours, then queued for operators with a due date
// in Italian working days. The answer never depends on whether an account exists.
import { addSeconds } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { sanitiseIdentityDocument } from '../../adapters/document-sanitiser.ts';
import { hashToken, newToken } from '../../domain/secrets.ts';
import { addWorkingDays, formatCivilDate, romeDate } from '../../domain/working-days.ts';
import type { Language } from '../../domain/language.ts';
import { requireCaptcha } from '../captcha/captcha.steps.ts';
import type { FlowDeps } from '../deps.ts';
import { confirmRequest, expireAndPurge, findRequestByToken, insertAssistanceRequest } from './assistance.repo.ts';
import type { RequestMeta } from '../request-meta.ts';
import { limitByAddress, requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';

export const confirmTtlSeconds = 48 * 60 * 60; // 48 hours (S7)
export const documentRetentionDays = 30;
export const categories = ['password_reset', 'pin_request', 'first_access', 'other'] as const;
export type Category = (typeof categories)[number];
export interface AssistanceRequestInput {
  codiceFiscale: string;
  email: string;
  category: Category;
  message: string;
  document: Buffer;
  captcha?: string;
  language: Language;
}

export async function submitAssistanceRequest(deps: FlowDeps, input: AssistanceRequestInput, meta: RequestMeta): Promise<{ requestId: string }> {
  await requireCaptcha(deps, input.captcha);
  const codiceFiscale = requireCodiceFiscale(input.codiceFiscale);
  const verdict = await sanitiseIdentityDocument(input.document); // decoding costs CPU: before any lock
  if (!verdict.ok) throw new AppError('invalid_document', { reason: verdict.reason });
  await limitByAddress(deps, 'assistance', meta.ip, deps.config.deskRequestsPerIpPerMinute);
  const token = newToken(deps.random);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const requestId = await insertAssistanceRequest(tx, {
      codiceFiscale, email: input.email, category: input.category, message: input.message, language: input.language,
      confirmTokenHash: hashToken(token), confirmExpiresAt: addSeconds(now, confirmTtlSeconds), document: verdict.bytes,
      documentMediaType: verdict.mediaType, documentName: `${newToken(deps.random).slice(0, 16)}.${verdict.type}`,
    }, now);
    await deps.outbox.enqueue(tx, { channel: 'email', to: input.email, kind: 'assistance_confirm', language: input.language,
      params: { link: `${deps.config.publicUrl}/assistance/confirm/${token}`, validHours: String(confirmTtlSeconds / 3600) } });
    return { requestId };
  });
}

export interface RequestStatus {
  requestId: string;
  status: string;
  dueBy: string | null;
  category: string;
}

/** Confirms once; afterwards the same link shows the status. */
export async function confirmAssistanceRequest(deps: FlowDeps, token: string): Promise<RequestStatus> {
  const now = deps.clock.now();
  const dueBy = formatCivilDate(addWorkingDays(romeDate(now), deps.config.deskServiceLevelDays));
  await confirmRequest(deps.db, hashToken(token), now, dueBy);
  return requestStatus(deps, token);
}

export async function requestStatus(deps: FlowDeps, token: string): Promise<RequestStatus> {
  const row = await findRequestByToken(deps.db, hashToken(token));
  if (!row) throw new AppError('token_invalid');
  if (row.status === 'expired' || (row.status === 'unconfirmed' && row.confirm_expires_at <= deps.clock.now())) throw new AppError('token_expired');
  return { requestId: row.id, status: row.status, dueBy: row.due_by, category: row.category };
}

/** Housekeeping: unconfirmed requests expire after 48 hours; documents go 30 days after closing. */
export async function expireAndPurgeRequests(deps: Pick<FlowDeps, 'db' | 'clock'>): Promise<{ expired: number; purged: number }> {
  const now = deps.clock.now();
  return expireAndPurge(deps.db, now, addSeconds(now, -documentRetentionDays * 86400));
}
