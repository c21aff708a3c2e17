// The operators' side of assisted recovery (S31, S34): a queue ordered by due date, the
// document, and resolution by temporary password, PIN or rejection, each after a recorded
// identity check and never on the operator's own account.
import { AppError } from '../../domain/errors.ts';
import { findAccountByCodiceFiscale, type AccountRow } from '../../store/accounts.repo.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { Queryable } from '../../store/db.ts';
import { wasntMeLink } from '../notices/wasnt-me.ts';
import type { FlowDeps } from '../deps.ts';
import { preparePin, revokePin, storeIssuedPin, type PreparedPin } from '../pin/pin-issue.steps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { requireCodiceFiscale } from '../sign-in/sign-in.steps.ts';
import { closeRequest, findRequestDocument, findVisibleRequest, listQueue, replaceRegisteredEmail, replaceStatusToken, type QueueRow } from './desk.repo.ts';
import { hashToken, newToken } from '../../domain/secrets.ts';
import { isLanguage, type Language } from '../../domain/language.ts';
import type { Operator } from './operator-auth.ts';
import { prepareTemporaryPassword, storeTemporaryPassword, type PreparedPassword } from './temporary-password.steps.ts';

export interface QueueEntry {
  id: string;
  codiceFiscale: string;
  category: string;
  status: string;
  createdAt: string;
  dueBy: string | null;
  email: string;
  message: string;
  language: Language;
}

const toEntry = (row: QueueRow): QueueEntry => ({ id: row.id, codiceFiscale: row.codice_fiscale, category: row.category, status: row.status,
  createdAt: row.created_at.toISOString(), dueBy: row.due_by, email: row.email, message: row.message, language: isLanguage(row.language) ? row.language : 'it' });

export async function listRequests(deps: Pick<FlowDeps, 'db'>, status: string): Promise<QueueEntry[]> {
  return (await listQueue(deps.db, status)).map(toEntry);
}

export async function findRequest(deps: Pick<FlowDeps, 'db'>, id: string): Promise<QueueEntry> {
  const row = await findVisibleRequest(deps.db, id);
  if (!row) throw new AppError('not_found');
  return toEntry(row);
}

export async function requestDocument(deps: Pick<FlowDeps, 'db'>, id: string): Promise<{ bytes: Buffer; mediaType: string; name: string }> {
  const row = await findRequestDocument(deps.db, id);
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

/** The new credential, hashed before the transaction opens (no argon2 under the audit chain lock). */
type Prepared = { outcome: 'temporary_password'; password: PreparedPassword } | { outcome: 'pin_issued'; pin: PreparedPin } | { outcome: 'rejected' };

async function prepareOutcome(deps: FlowDeps, outcome: Outcome): Promise<Prepared> {
  if (outcome === 'temporary_password') return { outcome, password: await prepareTemporaryPassword(deps) };
  if (outcome === 'pin_issued') return { outcome, pin: await preparePin(deps) };
  return { outcome };
}

export async function resolveRequest(deps: FlowDeps, operator: Operator, requestId: string, resolution: Resolution, meta: RequestMeta): Promise<void> {
  // Issuing a credential needs the recorded identity check; a rejection (an illegible or
  // expired document) cannot, and does not, depend on one.
  if (resolution.outcome !== 'rejected' && resolution.identityVerified !== true) throw new AppError('identity_not_verified');
  const request = await findRequest(deps, requestId);
  if (request.status !== 'confirmed') throw new AppError('conflict', {}, 'only confirmed requests can be resolved');
  const account = resolution.outcome === 'rejected' ? null : await accountForOperator(deps, operator, request.codiceFiscale);
  const prepared = await prepareOutcome(deps, resolution.outcome);
  const actor = `operator:${operator.id}`;
  await deps.db.transaction(async (tx) => {
    const closing = { status: resolution.outcome === 'rejected' ? 'rejected' as const : 'resolved' as const, outcome: resolution.outcome,
      note: resolution.note, operatorId: operator.id };
    if (!(await closeRequest(tx, requestId, closing, deps.clock.now()))) throw new AppError('conflict', {}, 'the request was resolved meanwhile');
    if (resolution.identityVerified === true) {
      await recordIdentityCheck(tx, deps, operator, account, { requestId, outcome: resolution.outcome, note: resolution.note }, meta);
    } else {
      await recordAudit(tx, deps.clock.now(), { type: 'desk_request_rejected', actor: `operator:${operator.id}`, ...meta, outcome: 'success',
        details: { requestId, note: resolution.note } });
    }
    if (prepared.outcome === 'rejected' || !account) {
      // The link opens this request's status page, in the language the request was written in.
      const statusToken = newToken(deps.random);
      await replaceStatusToken(tx, requestId, hashToken(statusToken));
      await deps.outbox.enqueue(tx, { channel: 'email', to: request.email, kind: 'assistance_rejected', language: request.language,
        params: { reason: resolution.note, statusUrl: `${deps.config.publicUrl}/assistance/confirm/${statusToken}` } });
      return;
    }
    const updated = resolution.updateEmail ? await updateRegisteredEmail(tx, deps, operator, account, request.email, meta) : account;
    if (prepared.outcome === 'temporary_password') await storeTemporaryPassword(tx, deps, updated, prepared.password, meta, actor);
    else await storeIssuedPin(tx, deps, updated, prepared.pin, { kind: 'pin_issue', actor }, meta);
  });
}

async function updateRegisteredEmail(tx: Queryable, deps: FlowDeps, operator: Operator, account: AccountRow, email: string, meta: RequestMeta): Promise<AccountRow> {
  const now = deps.clock.now();
  await replaceRegisteredEmail(tx, account.id, email, now);
  await recordAudit(tx, now, { type: 'contact_changed', actor: `operator:${operator.id}`, accountId: account.id, ...meta, outcome: 'success',
    details: { contact: 'email', byDesk: true } });
  if (account.email && account.email !== email) {
    await deps.outbox.enqueue(tx, { channel: 'email', to: account.email, kind: 'contact_changed', language: account.language,
      params: { contact: 'email', at: now.toISOString(), wasntMeUrl: await wasntMeLink(tx, deps, account.id) } });
  }
  return { ...account, email };
}

type PhoneInput = { identityVerified?: boolean; note: string };

/** The phone and office path: the operator identified the citizen directly (S34: the check is recorded). */
async function actOnIdentifiedCitizen<T>(
  deps: FlowDeps, operator: Operator, codiceFiscale: string, input: PhoneInput & { action: string }, meta: RequestMeta,
  prepare: () => Promise<T>, act: (tx: Queryable, account: AccountRow, prepared: T) => Promise<void>,
): Promise<void> {
  if (input.identityVerified !== true) throw new AppError('identity_not_verified');
  const account = await accountForOperator(deps, operator, codiceFiscale);
  const prepared = await prepare();
  await deps.db.transaction(async (tx) => {
    await recordIdentityCheck(tx, deps, operator, account, { action: input.action, note: input.note }, meta);
    await act(tx, account, prepared);
  });
}

export function deskTemporaryPassword(deps: FlowDeps, operator: Operator, codiceFiscale: string, input: PhoneInput, meta: RequestMeta) {
  return actOnIdentifiedCitizen(deps, operator, codiceFiscale, { ...input, action: 'temporary_password' }, meta, () => prepareTemporaryPassword(deps),
    (tx, account, prepared) => storeTemporaryPassword(tx, deps, account, prepared, meta, `operator:${operator.id}`));
}

export function deskIssuePin(deps: FlowDeps, operator: Operator, codiceFiscale: string, input: PhoneInput, meta: RequestMeta) {
  return actOnIdentifiedCitizen(deps, operator, codiceFiscale, { ...input, action: 'pin_issue' }, meta, () => preparePin(deps),
    (tx, account, prepared) => storeIssuedPin(tx, deps, account, prepared, { kind: 'pin_issue', actor: `operator:${operator.id}` }, meta));
}

/** The operator's revocation is audited as theirs, beside the revocation itself. */
export async function deskRevokePin(deps: FlowDeps, operator: Operator, codiceFiscale: string, meta: RequestMeta): Promise<void> {
  const account = await accountForOperator(deps, operator, codiceFiscale);
  await deps.db.transaction(async (tx) => {
    await revokePin(tx, deps, account, meta, `operator:${operator.id}`);
    await recordAudit(tx, deps.clock.now(), { type: 'desk_pin_revoked', actor: `operator:${operator.id}`, accountId: account.id, ...meta, outcome: 'success' });
  });
}
