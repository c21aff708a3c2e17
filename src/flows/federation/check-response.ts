// The Response envelope: SPID.md items 24 (ID, Version, IssueInstant), 25 (InResponseTo),
// 26 (Destination), 27 (Status and the SPID anomaly codes) and 28 (Response Issuer).
import { anomalyCodes, ensure, Rejection, type AnomalyCode } from './rejection.ts';
import { child, ns, parseSamlInstant, text } from './xml.ts';

export const entityFormat = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';
const success = 'urn:oasis:names:tc:SAML:2.0:status:Success';

export interface CheckContext {
  now: Date;
  skewSeconds: number;
  requestId: string;
  requestIssuedAt: Date; // the AuthnRequest's IssueInstant (whole seconds)
  idpEntityId: string;
  acsUrl: string;
  spEntityId: string;
  requestedLevel: number;
}

/** Item 24, for the Response and the Assertion alike. */
export function checkIdVersionInstant(element: Element, what: string, ctx: CheckContext): void {
  ensure(element.getAttribute('ID'), `${what} ID missing`);
  ensure(element.getAttribute('Version') === '2.0', `${what} Version is not 2.0`);
  const raw = element.getAttribute('IssueInstant');
  ensure(raw, `${what} IssueInstant missing`);
  const instant = parseSamlInstant(raw);
  ensure(instant, `${what} IssueInstant is not a UTC instant`);
  const requested = Math.floor(ctx.requestIssuedAt.getTime() / 1000) * 1000;
  ensure(instant.getTime() >= requested, `${what} IssueInstant before the request`);
  ensure(instant.getTime() <= ctx.now.getTime() + ctx.skewSeconds * 1000, `${what} IssueInstant in the future`);
}

/** The request a Response claims to answer; its absence means unsolicited (item 25). */
export function inResponseToOf(response: Element): string {
  const value = response.getAttribute('InResponseTo');
  ensure(value, 'unsolicited Response (no InResponseTo)');
  return value;
}

/** Item 27: a non-success status ends here, with the SPID anomaly when the IdP named one. */
export function checkStatus(response: Element): void {
  const status = child(response, ns.samlp, 'Status');
  const code = status && child(status, ns.samlp, 'StatusCode');
  const value = code?.getAttribute('Value');
  ensure(value, 'StatusCode missing');
  if (value === success) return;
  const message = text(status && child(status, ns.samlp, 'StatusMessage'));
  const found = /ErrorCode\s*nr\s*(\d+)/i.exec(message);
  const anomaly = found ? (`nr${Number(found[1])}` as AnomalyCode) : null;
  throw new Rejection(401, `IdP answered ${value} ${message}`.trim(), anomaly && anomalyCodes.includes(anomaly) ? anomaly : null);
}

export function checkResponseEnvelope(response: Element, ctx: CheckContext): void {
  checkIdVersionInstant(response, 'Response', ctx);
  ensure(response.getAttribute('InResponseTo') === ctx.requestId, 'Response InResponseTo differs'); // item 25
  ensure(response.getAttribute('Destination') === ctx.acsUrl, 'Response Destination is not our ACS'); // item 26
  const issuer = child(response, ns.saml, 'Issuer'); // item 28
  ensure(issuer && text(issuer) === ctx.idpEntityId, 'Response Issuer is not the IdP');
  const format = issuer.getAttribute('Format');
  ensure(!format || format === entityFormat, 'Response Issuer Format is not entity');
}
