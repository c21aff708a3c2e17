// The citizen's file at the desk: registry data to compare with the document, past requests,
// and the messages that failed, which an operator may send again (recorded in the audit).
import { addSeconds } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import type { AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { failedMessagesTo, requestsOf, requeueFailed, type FailedMessageRow, type HistoryRow } from './citizen-file.repo.ts';
import { accountForOperator } from './desk.steps.ts';
import type { Operator } from './operator-auth.ts';

export interface CitizenFile {
  codiceFiscale: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  /** The cadastral code of the birthplace, characters 12–15 of the codice fiscale. */
  placeCode: string;
  email: string | null;
  mobile: string | null;
  pec: string | null;
  history: { id: string; category: string; status: string; createdAt: string; dueBy: string | null; outcome: string | null }[];
  failedMessages: { id: string; channel: string; recipient: string; kind: string; createdAt: string; reason: string | null; resendable: boolean }[];
}

const contactsOf = (account: AccountRow) => [account.email, account.mobile, account.pec].filter((c): c is string => Boolean(c));
const toHistory = (row: HistoryRow) => ({ id: row.id, category: row.category, status: row.status, createdAt: row.created_at.toISOString(), dueBy: row.due_by, outcome: row.outcome });
const toFailed = (row: FailedMessageRow) => ({ id: row.id, channel: row.channel, recipient: row.recipient, kind: row.kind,
  createdAt: row.created_at.toISOString(), reason: row.last_error, resendable: row.resendable });

export async function citizenFile(deps: FlowDeps, operator: Operator, codiceFiscale: string): Promise<CitizenFile> {
  const account = await accountForOperator(deps, operator, codiceFiscale);
  return {
    codiceFiscale: account.codice_fiscale, firstName: account.first_name, lastName: account.last_name,
    birthDate: account.birth_date ? account.birth_date.toISOString().slice(0, 10) : null,
    placeCode: account.codice_fiscale.slice(11, 15), email: account.email, mobile: account.mobile, pec: account.pec,
    history: (await requestsOf(deps.db, account.codice_fiscale)).map(toHistory),
    failedMessages: (await failedMessagesTo(deps.db, contactsOf(account))).map(toFailed),
  };
}

const resendGiveUpSeconds = 24 * 60 * 60;

/** Sends a failed message to the citizen again; 409 when it cannot be (already queued, or its secret was erased). */
export async function resendFailedMessage(deps: FlowDeps, operator: Operator, codiceFiscale: string, messageId: string, meta: RequestMeta): Promise<void> {
  const account = await accountForOperator(deps, operator, codiceFiscale);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    if (!(await requeueFailed(tx, messageId, contactsOf(account), now, addSeconds(now, resendGiveUpSeconds)))) {
      throw new AppError('conflict', {}, 'this message cannot be sent again: issue a new credential instead');
    }
    await recordAudit(tx, now, { type: 'message_resent', actor: `operator:${operator.id}`, accountId: account.id, ...meta, outcome: 'success', details: { messageId } });
  });
}
