import { AppError } from '../domain/errors.ts';
import type { FlowDeps } from './deps.ts';

/** S17: refuses with 429 rate_limited (and when to retry) once `key` used up its window. */
export async function requireWithinLimit(deps: Pick<FlowDeps, 'limiter' | 'clock'>, key: string, limit: number, windowSeconds: number): Promise<void> {
  const decision = await deps.limiter.hit(key, limit, windowSeconds, deps.clock.now());
  if (!decision.allowed) throw new AppError('rate_limited', { retryAfter: decision.retryAfterSeconds });
}
