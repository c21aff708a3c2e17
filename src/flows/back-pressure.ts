import { AppError } from '../domain/errors.ts';
import type { FlowDeps } from './deps.ts';

/** Seconds a refused client is asked to wait: the queue drains in well under that. */
export const overloadedRetryAfterSeconds = 2;

/** Issue 14: refuses at once with 503 overloaded when the bounded hash queue is full. */
export function requireHashCapacity(deps: Pick<FlowDeps, 'hasher'>): void {
  if (!deps.hasher.hasCapacity()) throw new AppError('overloaded', { retryAfter: overloadedRetryAfterSeconds });
}
