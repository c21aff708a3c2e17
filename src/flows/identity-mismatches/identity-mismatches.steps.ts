// Issue 10: "a mismatch is flagged to operators, never silently overwritten". The ACS records
// the disagreement (with its audit event, one transaction); operators list the open ones and
// mark each reviewed with a note, audited under their identity (S31, S34). Correcting the
// account itself is a separate, identity-checked desk action: reviewing changes no data.
import { AppError } from '../../domain/errors.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { AccountRow } from '../../store/accounts.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { Operator } from '../desk/operator-auth.ts';
import type { RequestMeta } from '../request-meta.ts';
import { countOpenMismatches, findMismatch, listMismatches, markReviewed, upsertOpenMismatch, type MismatchRow } from './identity-mismatches.repo.ts';

export type MismatchStatus = 'open' | 'reviewed';

export interface PersonalData {
  firstName: string;
  lastName: string;
  birthDate: string | null;
}

export interface MismatchEntry {
  id: string;
  codiceFiscale: string;
  method: string;
  provider: string;
  fields: string[];
  asserted: PersonalData;
  registered: PersonalData;
  firstSeenAt: string;
  lastSeenAt: string;
  occurrences: number;
  status: MismatchStatus;
  review: { operatorId: string; note: string; reviewedAt: string } | null;
}

const toEntry = (row: MismatchRow): MismatchEntry => ({
  id: row.id, codiceFiscale: row.codice_fiscale, method: row.method, provider: row.provider, fields: row.fields.split(',').filter(Boolean),
  asserted: { firstName: row.asserted_first_name, lastName: row.asserted_last_name, birthDate: row.asserted_birth_date || null },
  registered: { firstName: row.registered_first_name, lastName: row.registered_last_name, birthDate: row.registered_birth_date },
  firstSeenAt: row.first_seen_at.toISOString(), lastSeenAt: row.last_seen_at.toISOString(), occurrences: Number(row.occurrences),
  status: row.reviewed_at ? 'reviewed' : 'open',
  review: row.reviewed_at ? { operatorId: row.reviewed_by ?? '', note: row.review_note ?? '', reviewedAt: row.reviewed_at.toISOString() } : null,
});

export interface FlaggedMismatch {
  account: AccountRow;
  fields: string[];
  asserted: { firstName: string; lastName: string; birthDate: string };
  via: { method: 'spid' | 'cie'; provider: string };
}

/** Called by the ACS after the sign-in: the open mismatch and its audit event, together. */
export async function flagIdentityMismatch(deps: Pick<FlowDeps, 'db' | 'clock'>, flagged: FlaggedMismatch, meta: RequestMeta): Promise<void> {
  const { account, fields, asserted, via } = flagged;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const id = await upsertOpenMismatch(tx, {
      accountId: account.id, method: via.method, provider: via.provider, fields, asserted,
      registered: { firstName: account.first_name, lastName: account.last_name, birthDate: account.birth_date ? account.birth_date.toISOString().slice(0, 10) : null },
    }, now);
    // The audit trail names the fields only; the asserted values live in the mismatch row.
    await recordAudit(tx, now, {
      type: 'federated_identity_mismatch', actor: `citizen:${account.codice_fiscale}`, accountId: account.id, ...meta,
      outcome: 'refused', details: { fields: fields.join(','), method: via.method, provider: via.provider, mismatchId: id },
    });
  });
}

export async function listIdentityMismatches(deps: Pick<FlowDeps, 'db'>, status: MismatchStatus): Promise<MismatchEntry[]> {
  return (await listMismatches(deps.db, status)).map(toEntry);
}

export async function countOpenIdentityMismatches(deps: Pick<FlowDeps, 'db'>): Promise<number> {
  return countOpenMismatches(deps.db);
}

export async function findIdentityMismatch(deps: Pick<FlowDeps, 'db'>, id: string): Promise<MismatchEntry> {
  const row = await findMismatch(deps.db, id);
  if (!row) throw new AppError('not_found');
  return toEntry(row);
}

/** Marks an open mismatch reviewed: 404 unknown, 409 already reviewed, 403 the operator's own account. */
export async function reviewIdentityMismatch(
  deps: Pick<FlowDeps, 'db' | 'clock'>, operator: Operator, id: string, note: string, meta: RequestMeta,
): Promise<MismatchEntry> {
  const row = await findMismatch(deps.db, id);
  if (!row) throw new AppError('not_found');
  if (row.codice_fiscale === operator.codiceFiscale) throw new AppError('forbidden', {}, 'operators cannot review their own account');
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (!(await markReviewed(tx, id, { operatorId: operator.id, note }, now))) throw new AppError('conflict', {}, 'the mismatch was already reviewed');
    await recordAudit(tx, now, {
      type: 'federated_identity_mismatch_reviewed', actor: `operator:${operator.id}`, accountId: row.account_id, ...meta, outcome: 'success',
      details: { mismatchId: id, note },
    });
  });
  return findIdentityMismatch(deps, id);
}
