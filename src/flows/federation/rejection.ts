// Why a SAML Response was refused. `reason` goes to the log (never to the page), `anomaly`
// is the SPID error code whose official message the page shows (SPID.md item 27).
export const anomalyCodes = ['nr19', 'nr20', 'nr21', 'nr22', 'nr23', 'nr25'] as const;
export type AnomalyCode = (typeof anomalyCodes)[number];

export class Rejection extends Error {
  readonly status: 400 | 401 | 403;
  readonly reason: string;
  readonly anomaly: AnomalyCode | null;
  constructor(status: 400 | 401 | 403, reason: string, anomaly: AnomalyCode | null = null) {
    super(reason);
    this.status = status;
    this.reason = reason;
    this.anomaly = anomaly;
  }
}

/** Malformed input: a Response we cannot even read. */
export const malformed = (reason: string) => new Rejection(400, reason);
/** A readable Response that fails a SPID check. */
export const refused = (reason: string) => new Rejection(403, reason);

export function ensure(condition: unknown, reason: string): asserts condition {
  if (!condition) throw refused(reason);
}
