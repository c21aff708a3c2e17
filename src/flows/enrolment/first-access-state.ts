// Where an enrolled worker stands in first access, as their administration sees it.
import type { EnrolledWorkerRow } from './enrolment.repo.ts';

export type FirstAccessState = 'awaiting_first_access' | 'temporary_password_issued' | 'completing_profile' | 'completed';

export function firstAccessState(row: Pick<EnrolledWorkerRow, 'has_password' | 'password_temporary' | 'pending_actions'>): FirstAccessState {
  if (!row.has_password) return 'awaiting_first_access';
  if (row.password_temporary) return 'temporary_password_issued';
  return row.pending_actions.length > 0 ? 'completing_profile' : 'completed';
}
