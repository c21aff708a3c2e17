// The signed Assertion: SPID.md items 24 and 28 (its ID, Version, IssueInstant, Issuer),
// 29 (NameID and SubjectConfirmation), 30 (Conditions and Audience) and 31 (level).
import { checkIdVersionInstant, entityFormat, type CheckContext } from './check-response.ts';
import { ensure } from './rejection.ts';
import { levelOf, type SpidLevel } from './sp-profile.ts';
import { child, children, ns, parseSamlInstant, text } from './xml.ts';

const transient = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
const bearer = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

function checkIssuer(assertion: Element, ctx: CheckContext): void {
  const issuer = child(assertion, ns.saml, 'Issuer');
  ensure(issuer && text(issuer) === ctx.idpEntityId, 'Assertion Issuer is not the IdP');
  ensure(issuer.getAttribute('Format') === entityFormat, 'Assertion Issuer Format is not entity');
}

function checkSubject(assertion: Element, ctx: CheckContext): void {
  const subject = child(assertion, ns.saml, 'Subject');
  ensure(subject, 'Subject missing');
  const nameId = child(subject, ns.saml, 'NameID');
  ensure(nameId && text(nameId) !== '', 'NameID missing');
  ensure(nameId.getAttribute('Format') === transient, 'NameID Format is not transient');
  ensure(nameId.getAttribute('NameQualifier'), 'NameID NameQualifier missing');
  const confirmations = children(subject, ns.saml, 'SubjectConfirmation');
  ensure(confirmations.length === 1, 'expected one SubjectConfirmation');
  const confirmation = confirmations[0] as Element;
  ensure(confirmation.getAttribute('Method') === bearer, 'SubjectConfirmation Method is not bearer');
  const data = child(confirmation, ns.saml, 'SubjectConfirmationData');
  ensure(data, 'SubjectConfirmationData missing');
  ensure(data.getAttribute('Recipient') === ctx.acsUrl, 'Recipient is not our ACS'); // item 26
  ensure(data.getAttribute('InResponseTo') === ctx.requestId, 'SubjectConfirmationData InResponseTo differs'); // item 25
  const notOnOrAfter = parseSamlInstant(data.getAttribute('NotOnOrAfter'));
  ensure(notOnOrAfter, 'SubjectConfirmationData NotOnOrAfter missing');
  ensure(notOnOrAfter.getTime() > ctx.now.getTime() - ctx.skewSeconds * 1000, 'SubjectConfirmationData expired');
}

function checkConditions(assertion: Element, ctx: CheckContext): void {
  const conditions = child(assertion, ns.saml, 'Conditions');
  ensure(conditions, 'Conditions missing');
  const notBefore = parseSamlInstant(conditions.getAttribute('NotBefore'));
  const notOnOrAfter = parseSamlInstant(conditions.getAttribute('NotOnOrAfter'));
  ensure(notBefore && notOnOrAfter, 'Conditions NotBefore/NotOnOrAfter missing or malformed');
  const skew = ctx.skewSeconds * 1000;
  ensure(notBefore.getTime() <= ctx.now.getTime() + skew, 'Assertion not yet valid');
  ensure(notOnOrAfter.getTime() > ctx.now.getTime() - skew, 'Assertion expired');
  const restriction = child(conditions, ns.saml, 'AudienceRestriction');
  const audiences = restriction ? children(restriction, ns.saml, 'Audience').map(text) : [];
  ensure(audiences.length > 0 && audiences.every((a) => a === ctx.spEntityId), 'Audience is not our entityID');
}

/** Item 31: Comparison "minimum" was asked, so a higher level is fine and a lower one is not. */
function checkLevel(assertion: Element, ctx: CheckContext): SpidLevel {
  const statement = child(assertion, ns.saml, 'AuthnStatement');
  const context = statement && child(statement, ns.saml, 'AuthnContext');
  const level = levelOf(text(context && child(context, ns.saml, 'AuthnContextClassRef')));
  ensure(level, 'AuthnContextClassRef is not a SPID level');
  ensure(level >= ctx.requestedLevel, `level ${level} below the requested ${ctx.requestedLevel}`);
  return level;
}

export function checkAssertion(assertion: Element, ctx: CheckContext): { level: SpidLevel } {
  checkIdVersionInstant(assertion, 'Assertion', ctx);
  checkIssuer(assertion, ctx);
  checkSubject(assertion, ctx);
  checkConditions(assertion, ctx);
  return { level: checkLevel(assertion, ctx) };
}
