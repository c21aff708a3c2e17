// The operators' side of assisted recovery (S31, S34): a queue ordered by due date, the
// document, and resolution by temporary password, PIN or rejection, each after a recorded
// identity check and never on the operator's own account.
import { AppError } from '../../domain/errors.ts';
import { findAccountByCodiceFiscale, type AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { Queryable } from '../../store/db.ts';
import type { FlowDeps } from '../deps.ts';
import { issuePin } from '../pin/pin-issue.steps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';
import type { Operator } from './operator-auth.ts';
import { issueTemporaryPassword } from './temporary-password.steps.ts';

export interface QueueEntry {
  id: string;
  codiceFiscale: string;
  category: string;
  status: string;
  createdAt: string;
  dueBy: string | null;
  email: string;
  message: string;
}

const queueColumns = `id, codice_fiscale, category, status, created_at, to_char(due_by, 'YYYY-MM-DD') AS due_by, email, message`;
type QueueRow = { id: string; codice_fiscale: string; category: string; status: string; created_at: Date; due_by: string | null; email: string; message: string };
const toEntry = (row: QueueRow): QueueEntry => ({ id: row.id, codiceFiscale: row.codice_fiscale, category: row.category, status: row.status,
  createdAt: row.created_at.toISOString(), dueBy: row.due_by, email: row.email, message: row.message });

export async function listRequests(deps: Pick<FlowDeps, 'db'>, status: string): Promise<QueueEntry[]> {
  const rows = await deps.db.query<QueueRow>(
    `SELECT ${queueColumns} FROM assistance_requests WHERE status = $1 ORDER BY due_by NULLS LAST, created_at LIMIT 500`, [status]);
  return rows.rows.map(toEntry);
}

export async function findRequest(deps: Pick<FlowDeps, 'db'>, id: string): Promise<QueueEntry> {
  const rows = await deps.db.query<QueueRow>(`SELECT ${queueColumns} FROM assistance_requests WHERE id = $1 AND status <> 'unconfirmed'`, [id]);
  if (!rows.rows[0]) throw new AppError('not_found');
  return toEntry(rows.rows[0]);
}

export async function requestDocument(deps: Pick<FlowDeps, 'db'>, id: string): Promise<{ bytes: Buffer; mediaType: string; name: string }> {
  const rows = await deps.db.query<{ document: Buffer | Uint8Array | null; document_media_type: string; document_name: string }>(
    `SELECT document, document_media_type, document_name FROM assistance_requests WHERE id = $1 AND status <> 'unconfirmed'`, [id]);
  const row = rows.rows[0];
  if (!row?.document) throw new AppError('not_found');
  return { bytes: Buffer.from(row.document), mediaType: row.document_media_type, name: row.document_name };
}

/** S34: the account exists and is not the operator's own. */
export async function accountForOperator(deps: Pick<FlowDeps, 'db'>, operator: Operator, codiceFiscaleInput: string): Promise<AccountRow> {
  const codiceFiscale = requireCodiceFiscale(codiceFiscaleInput);
  if (codiceFiscale === operator.codiceFiscale) throw new AppError('forbidden', {}, 'operators cannot act on their own account');
  const account = await findAccountByCodiceFiscale(deps.db, codiceFiscale);
  if (!account) throw new AppError('account_not_found');
  return account;
}

export type Outcome = 'temporary_password' | 'pin_issued' | 'rejected';

export interface Resolution {
  outcome: Outcome;
  identityVerified?: boolean;
  note: string;
  /** The citizen lost the registered email: the request's email becomes the registered one, and the old address is told (S30). */
  updateEmail?: boolean;
}

async function recordIdentityCheck(tx: Queryable, deps: FlowDeps, operator: Operator, account: AccountRow | null, details: Record<string, string | boolean>, meta: RequestMeta) {
  await recordAudit(tx, deps.clock.now(), { type: 'desk_identity_verified', actor: `operator:${operator.id}`, accountId: account?.id, ...meta,
    outcome: 'success', details });
}

export async function resolveRequest(deps: FlowDeps, operator: Operator, requestId: string, resolution: Resolution, meta: RequestMeta): Promise<void> {
  if (resolution.identityVerified !== true) throw new AppError('identity_not_verified');
  const request = await findRequest(deps, requestId);
  if (request.status !== 'confirmed') throw new AppError('conflict', {}, 'only confirmed requests can be resolved');
  const account = resolution.outcome === 'rejected' ? null : await accountForOperator(deps, operator, request.codiceFiscale);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const closed = await tx.query(
      `UPDATE assistance_requests SET status = $2, closed_at = $3, outcome = $4, resolution_note = $5, operator_id = $6
       WHERE id = $1 AND status = 'confirmed'`,
      [requestId, resolution.outcome === 'rejected' ? 'rejected' : 'resolved', now, resolution.outcome, resolution.note, operator.id]);
    if (closed.rowCount !== 1) throw new AppError('conflict', {}, 'the request was resolved meanwhile');
    await recordIdentityCheck(tx, deps, operator, account, { requestId, outcome: resolution.outcome, note: resolution.note }, meta);
    if (resolution.outcome === 'rejected') {
      await deps.outbox.enqueue(tx, { channel: 'email', to: request.email, kind: 'assistance_rejected', language: 'it',
        params: { reason: resolution.note, statusUrl: `${deps.config.publicUrl}/assistance` } });
      return;
    }
    const target = account!;
    const updated = resolution.updateEmail ? await updateRegisteredEmail(tx, deps, operator, target, request.email, meta) : target;
    if (resolution.outcome === 'temporary_password') await issueTemporaryPassword(tx, deps, updated, meta, `operator:${operator.id}`);
    else await issuePin(tx, deps, updated, meta, `operator:${operator.id}`);
  });
}

async function updateRegisteredEmail(tx: Queryable, deps: FlowDeps, operator: Operator, account: AccountRow, email: string, meta: RequestMeta): Promise<AccountRow> {
  const now = deps.clock.now();
  await tx.query('UPDATE accounts SET email = $2, email_verified = false, updated_at = $3 WHERE id = $1', [account.id, email, now]);
  await recordAudit(tx, now, { type: 'contact_changed', actor: `operator:${operator.id}`, accountId: account.id, ...meta, outcome: 'success',
    details: { contact: 'email', byDesk: true } });
  if (account.email && account.email !== email) {
    await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'contact_changed', language: account.language,
      params: { contact: 'email', at: now.toISOString() } });
  }
  return { ...account, email };
}

/** The phone and office path: the operator identified the citizen directly. */
export async function deskTemporaryPassword(deps: FlowDeps, operator: Operator, codiceFiscale: string, input: { identityVerified?: boolean; note: string }, meta: RequestMeta) {
  if (input.identityVerified !== true) throw new AppError('identity_not_verified');
  const account = await accountForOperator(deps, operator, codiceFiscale);
  await deps.db.transaction(async (tx) => {
    await recordIdentityCheck(tx, deps, operator, account, { action: 'temporary_password', note: input.note }, meta);
    await issueTemporaryPassword(tx, deps, account, meta, `operator:${operator.id}`);
  });
}
