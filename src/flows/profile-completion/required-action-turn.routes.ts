// S23 and NoiPA's order: the completion steps are taken one at a time. A step's endpoints and
// page answer only when that step is the first action pending (or nothing is pending, to
// verify again later); anything else is refused, so no step can be skipped or reordered.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import type { RequiredAction } from '../../domain/required-actions.ts';
import { requireCitizen, type CitizenSession } from '../../web/session.ts';

export function isActionTurn(session: CitizenSession, action: RequiredAction): boolean {
  return session.requiredActions.length === 0 || session.requiredActions[0] === action;
}

export function requireActionTurn(request: FastifyRequest, action: RequiredAction): CitizenSession {
  const session = requireCitizen(request);
  if (!isActionTurn(session, action)) throw new AppError('action_required', { requiredActions: session.requiredActions });
  return session;
}
