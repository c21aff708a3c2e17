// The Assertion Consumer Service: every check of SPID.md items 23-32, in an order where
// nothing from the Response is believed before its signature is verified; then the SPID or
// CIE strategy hands the account to the login flow, which answers the request ID once (a
// replay finds the flow moved on) and opens the session like any other sign-in.
import { findAccountByCodiceFiscale, type AccountRow } from '../../store/accounts.repo.ts';
import type { FlowDeps } from '../deps.ts';
import type { RequestMeta } from '../request-meta.ts';
import { readAttributes, type FederatedIdentity } from './check-attributes.ts';
import { checkAssertion } from './check-assertion.ts';
import { checkResponseEnvelope, checkStatus, inResponseToOf, type CheckContext } from './check-response.ts';
import { parseResponse, signedAssertion, verifyResponseSignatureIfPresent } from './check-signature.ts';
import { LoginFlowAlreadyAnswered } from '../sign-in/login-flow.steps.ts';
import { acceptAssertion, federatedStrategies } from '../sign-in/strategies/federated.strategy.ts';
import { createFederatedAccount } from './federated-account.ts';
import { flagIdentityMismatch } from '../identity-mismatches/identity-mismatches.steps.ts';
import type { Federation } from './federation.context.ts';
import { closeSamlFlow, findPendingSamlFlow, recordSamlSubject, type SamlFlowRow, type SamlSubject } from './federation-flows.repo.ts';
import { ensure, Rejection, refused } from './rejection.ts';
import { levelOf, type FederationKind } from './sp-profile.ts';
import { child, ns, text } from './xml.ts';

const skewSeconds = 30;

export type AcsResult =
  | { kind: 'signed_in'; sessionId: string; next: string }
  | { kind: 'unknown_account'; flowId: string };

async function pendingFlow(deps: Pick<FlowDeps, 'db' | 'clock'>, kind: FederationKind, requestId: string, relayState?: string): Promise<SamlFlowRow> {
  const flow = await findPendingSamlFlow(deps.db, requestId, deps.clock.now());
  ensure(flow && flow.method === kind, 'no pending request with this ID (unsolicited, expired or answered)');
  // S27: the RelayState we gave out, when the IdP sends one back, must be this flow's.
  ensure(relayState === undefined || relayState === flow.id, 'RelayState does not belong to the request');
  return flow;
}

function normaliseName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]+/g, ' ').trim().toUpperCase();
}

/** Fields where the IdP and the account disagree; the account is never overwritten. */
export function identityMismatches(account: AccountRow, identity: FederatedIdentity): string[] {
  const fields: string[] = [];
  if (normaliseName(account.first_name) !== normaliseName(identity.firstName)) fields.push('firstName');
  if (normaliseName(account.last_name) !== normaliseName(identity.lastName)) fields.push('lastName');
  if (account.birth_date && account.birth_date.toISOString().slice(0, 10) !== identity.birthDate) fields.push('birthDate');
  return fields;
}

export async function consumeResponse(
  deps: FlowDeps, federation: Federation, kind: FederationKind,
  form: { SAMLResponse: string; RelayState?: string }, meta: RequestMeta,
): Promise<AcsResult> {
  const parsed = parseResponse(form.SAMLResponse);
  const flow = await pendingFlow(deps, kind, inResponseToOf(parsed.response), form.RelayState);
  const idp = federation.registry.find(kind, flow.saml_idp);
  ensure(idp, 'the IdP of the request is no longer registered');
  const signedResponse = verifyResponseSignatureIfPresent(parsed, idp.certs);
  try {
    checkStatus(parsed.response);
  } catch (error) {
    // Only an IdP-signed failure may close the request; anyone could post an unsigned one.
    if (error instanceof Rejection && signedResponse) await closeSamlFlow(deps.db, flow.id, deps.clock.now());
    throw error;
  }
  const profile = federation.profiles[kind];
  const ctx: CheckContext = {
    now: deps.clock.now(), skewSeconds, requestId: flow.saml_request_id, requestIssuedAt: flow.created_at,
    idpEntityId: idp.entityId, acsUrl: profile.acsUrl, spEntityId: profile.entityId,
    requestedLevel: levelOf(flow.requested_acr ?? '') ?? 2,
  };
  checkResponseEnvelope(parsed.response, ctx);
  const assertion = signedAssertion(parsed, idp.certs);
  const { level } = checkAssertion(assertion, ctx);
  const identity = readAttributes(assertion);
  const found = await findAccountByCodiceFiscale(deps.db, identity.codiceFiscale);
  if (!found && deps.config.federation.federatedAccounts !== 'create') {
    if (!(await closeSamlFlow(deps.db, flow.id, deps.clock.now()))) throw refused('request already answered (replay)');
    return { kind: 'unknown_account', flowId: flow.id };
  }
  const account = found ?? (await createFederatedAccount(deps, identity, { method: kind, provider: idp.entityId }, meta));
  // Kept for single logout (a LogoutRequest names the subject; an IdP-initiated one finds it).
  await recordSamlSubject(deps.db, flow.id, subjectOf(assertion));
  let finished;
  try {
    finished = await acceptAssertion(deps, federatedStrategies[kind], { account, provider: idp.entityId, level, flowId: flow.id }, meta);
  } catch (error) {
    if (error instanceof LoginFlowAlreadyAnswered) throw refused('request already answered (replay)');
    throw error;
  }
  await flagMismatch(deps, account, identity, { method: kind, provider: idp.entityId }, meta);
  return { kind: 'signed_in', sessionId: finished.sessionId, next: finished.next };
}

/** The NameID and SessionIndex of an Assertion already checked (item 29). */
function subjectOf(assertion: Element): SamlSubject {
  const nameId = child(child(assertion, ns.saml, 'Subject') ?? assertion, ns.saml, 'NameID');
  const statement = child(assertion, ns.saml, 'AuthnStatement');
  return { nameId: text(nameId), nameQualifier: nameId?.getAttribute('NameQualifier') || null, sessionIndex: statement?.getAttribute('SessionIndex') || null };
}

/** A disagreement is recorded for operators (desk review), never silently fixed. */
async function flagMismatch(deps: FlowDeps, account: AccountRow, identity: FederatedIdentity, via: { method: FederationKind; provider: string }, meta: RequestMeta): Promise<void> {
  const fields = identityMismatches(account, identity);
  if (fields.length === 0) return;
  const asserted = { firstName: identity.firstName, lastName: identity.lastName, birthDate: identity.birthDate };
  await flagIdentityMismatch(deps, { account, fields, asserted, via }, meta);
}
