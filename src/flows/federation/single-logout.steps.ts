// SAML single logout for SPID (SPID.md item 6: the SingleLogoutService the metadata
// advertises, HTTP-POST). SP-initiated: "Esci" ends the local session and sends the IdP a
// signed LogoutRequest naming the subject of the sign-in; the IdP's LogoutResponse answers
// that request ID once. IdP-initiated: a LogoutRequest signed by a registered IdP ends every
// session its assertions about that subject opened, and is answered with a signed
// LogoutResponse. Incoming signatures are verified and the messages read by node-saml (its
// logout validation fits SPID as it is), after Varco's own parser refused DTDs; the checks
// node-saml leaves out for POST (Destination, InResponseTo, Status, IssueInstant) are ours.
// CIE has no single logout at the IdP: its sessions end locally.
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { addSeconds } from '../../domain/clock.ts';
import { recordAudit } from '../../store/audit.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { encodeForPost } from './authn-request.ts';
import type { Federation } from './federation.context.ts';
import { claimLogout, endSessionsOfSubject, findPendingLogout, findSignedInSubject, markLogoutSent } from './federation-flows.repo.ts';
import type { IdentityProvider } from './idp-registry.ts';
import { buildLogoutRequest, buildLogoutResponse, successStatus } from './logout-messages.ts';
import type { PostBinding } from './login.steps.ts';
import { ensure, malformed, refused } from './rejection.ts';
import type { SpProfile } from './sp-profile.ts';
import { toPem } from './xml-signature.ts';
import { child, ns, parseSamlInstant, parseXml, text, XmlError } from './xml.ts';

export const logoutLifetimeSeconds = 10 * 60;
const skewSeconds = 30;

/** node-saml configured for one IdP: its certificates and entityID are the only ones believed. */
function nodeSamlFor(profile: SpProfile, idp: IdentityProvider): SAML {
  return new SAML({
    callbackUrl: profile.acsUrl, issuer: profile.entityId, idpCert: idp.certs.map(toPem), idpIssuer: idp.entityId,
    wantAuthnResponseSigned: true, validateInResponseTo: ValidateInResponseTo.never, logoutCallbackUrl: profile.sloUrl,
  });
}

function readMessage(encoded: string, localName: 'LogoutRequest' | 'LogoutResponse'): Element {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(encoded)) throw malformed(`${localName} is not base64`);
  let root: Element;
  try {
    root = parseXml(Buffer.from(encoded, 'base64').toString('utf8')).documentElement as Element;
  } catch (error) {
    throw malformed(error instanceof XmlError ? error.message : 'unreadable XML');
  }
  if (root.namespaceURI !== ns.samlp || root.localName !== localName) throw malformed(`not a samlp:${localName}`);
  return root;
}

/** ID, Version, IssueInstant (UTC, not in the future) and Destination = our SingleLogoutService. */
function checkEnvelope(root: Element, profile: SpProfile, now: Date): void {
  ensure(root.getAttribute('ID'), 'ID missing');
  ensure(root.getAttribute('Version') === '2.0', 'Version is not 2.0');
  const instant = parseSamlInstant(root.getAttribute('IssueInstant'));
  ensure(instant && instant.getTime() <= now.getTime() + skewSeconds * 1000, 'IssueInstant missing, not UTC or in the future');
  ensure(root.getAttribute('Destination') === profile.sloUrl, 'Destination is not our SingleLogoutService');
}

/** SP-initiated: the LogoutRequest for a SPID session, or null when there is nobody to tell (CIE, local sign-in, no SLO at the IdP). */
export async function startSingleLogout(
  deps: Pick<FlowDeps, 'db' | 'clock' | 'random'>, federation: Federation, session: { authMethod: string; loginFlowId: string | null },
): Promise<PostBinding | null> {
  if (session.authMethod !== 'spid' || !session.loginFlowId) return null;
  const subject = await findSignedInSubject(deps.db, session.loginFlowId);
  const idp = subject ? federation.registry.find('spid', subject.idp) : null;
  if (!subject || !idp?.sloUrl) return null;
  const now = deps.clock.now();
  const id = `_${deps.random.bytes(20).toString('hex')}`;
  const xml = buildLogoutRequest(federation.key, {
    id, issueInstant: now, destination: idp.sloUrl, issuer: federation.profiles.spid.entityId,
    nameId: subject.nameId, nameQualifier: subject.nameQualifier, sessionIndex: subject.sessionIndex,
  });
  await markLogoutSent(deps.db, subject.flowId, id, addSeconds(now, logoutLifetimeSeconds));
  return { action: idp.sloUrl, samlRequest: encodeForPost(xml), relayState: subject.flowId };
}

/** The IdP's answer to our LogoutRequest: signed by that IdP, to our SLO, answering a pending ID, once. */
export async function consumeLogoutResponse(deps: Pick<FlowDeps, 'db' | 'clock'>, federation: Federation, samlResponse: string): Promise<void> {
  const root = readMessage(samlResponse, 'LogoutResponse');
  const now = deps.clock.now();
  const inResponseTo = root.getAttribute('InResponseTo');
  ensure(inResponseTo, 'unsolicited LogoutResponse');
  const pending = await findPendingLogout(deps.db, inResponseTo, now);
  ensure(pending, 'no pending LogoutRequest with this ID (unsolicited, expired or answered)');
  const idp = federation.registry.find('spid', pending.idp);
  ensure(idp, 'the IdP of the LogoutRequest is no longer registered');
  const profile = federation.profiles.spid;
  try {
    await nodeSamlFor(profile, idp).validatePostResponseAsync({ SAMLResponse: samlResponse });
  } catch (error) {
    throw refused(`LogoutResponse: ${(error as Error).message}`);
  }
  checkEnvelope(root, profile, now);
  ensure(text(child(root, ns.saml, 'Issuer')) === idp.entityId, 'Issuer is not the IdP');
  const status = child(root, ns.samlp, 'Status');
  ensure(child(status ?? root, ns.samlp, 'StatusCode')?.getAttribute('Value') === successStatus, 'LogoutResponse status is not Success');
  ensure(await claimLogout(deps.db, inResponseTo, now), 'LogoutResponse already answered (replay)');
}

/** IdP-initiated: ends the subject's sessions and answers with a signed LogoutResponse posted back to the IdP. */
export async function consumeLogoutRequest(
  deps: Pick<FlowDeps, 'db' | 'clock' | 'random'>, federation: Federation, samlRequest: string, meta: RequestMeta,
): Promise<PostBinding> {
  const root = readMessage(samlRequest, 'LogoutRequest');
  const idp = federation.registry.find('spid', text(child(root, ns.saml, 'Issuer')));
  ensure(idp?.sloUrl, 'LogoutRequest from an unknown IdP, or one without a SingleLogoutService');
  const profile = federation.profiles.spid;
  let subject: { ID?: string; nameID?: string; sessionIndex?: string };
  try {
    subject = (await nodeSamlFor(profile, idp).validatePostRequestAsync({ SAMLRequest: samlRequest })).profile ?? {};
  } catch (error) {
    throw refused(`LogoutRequest: ${(error as Error).message}`);
  }
  const now = deps.clock.now();
  checkEnvelope(root, profile, now);
  const { ID: requestId, nameID } = subject;
  ensure(requestId && nameID, 'LogoutRequest without ID or NameID');
  const sloUrl = idp.sloUrl;
  await deps.db.transaction(async (tx) => {
    const accounts = await endSessionsOfSubject(tx, idp.entityId, nameID, subject.sessionIndex ?? null);
    for (const accountId of accounts) {
      await recordAudit(tx, now, { type: 'sign_out', actor: `idp:${idp.entityId}`, accountId, ...meta, outcome: 'success', details: { method: 'spid', initiatedBy: 'idp' } });
    }
  });
  const xml = buildLogoutResponse(federation.key, {
    id: `_${deps.random.bytes(20).toString('hex')}`, issueInstant: now, destination: sloUrl, issuer: profile.entityId, inResponseTo: requestId,
  });
  return { action: sloUrl, samlRequest: encodeForPost(xml), relayState: '' };
}
