// The two checks every codice-fiscale entry point makes first.
import { parseCodiceFiscale } from '../../domain/codice-fiscale.ts';
import { AppError } from '../../domain/errors.ts';
import type { FlowDeps } from '../deps.ts';
import { requireWithinLimit } from '../rate-limit.ts';

export function requireCodiceFiscale(input: string): string {
  const parsed = parseCodiceFiscale(input);
  if (!parsed.ok) throw new AppError('invalid_codice_fiscale', {}, `codice fiscale: ${parsed.reason}`);
  return parsed.value;
}

/** S17: attempts from one address are bounded whatever codici fiscali they try. */
export async function limitByAddress(deps: Pick<FlowDeps, 'limiter' | 'clock'>, scope: string, ip: string, perMinute: number): Promise<void> {
  await requireWithinLimit(deps, `${scope}:ip:${ip}`, perMinute, 60);
}
