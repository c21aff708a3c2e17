// Development only (never registered in production, so 404 there): a SPID/CIE test IdP
// speaking real SAML — it checks the SP's signed AuthnRequest, lets the tester pick an
// identity, a level and an outcome, and posts back a Response signed with its own key. Its
// SingleLogoutService answers the SP's signed LogoutRequest, and /dev/idp/logout starts an
// IdP-initiated logout of a subject it vouched for in this process.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Federation } from '../../flows/federation/federation.context.ts';
import { levelOf } from '../../flows/federation/sp-profile.ts';
import { verifyElementSignature } from '../../flows/federation/xml-signature.ts';
import { child, ns, parseXml, text } from '../../flows/federation/xml.ts';
import { postBindingBody } from '../../flows/federation/views/federation.pages.ts';
import type { FlowDeps } from '../../flows/deps.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { attributesOf, outcomes, testIdentities, type Outcome } from './idp.identities.ts';
import type { DevIdp } from './idp.keys.ts';
import { defaultResponseFields, newSamlId, signedResponse } from './idp.response.ts';
import { buildLogoutRequest, buildLogoutResponse } from '../../flows/federation/logout-messages.ts';
import { encodeForPost } from '../../flows/federation/authn-request.ts';
import { chooserBody, idpErrorBody, logoutChooserBody, loggedOutBody } from './idp.views.ts';

const SsoBody = Type.Object({ SAMLRequest: Type.String({ maxLength: 60_000 }), RelayState: Type.Optional(Type.String({ maxLength: 200 })) });
const AnswerBody = Type.Object({
  SAMLRequest: Type.String({ maxLength: 60_000 }), RelayState: Type.Optional(Type.String({ maxLength: 200 })),
  identity: Type.Optional(Type.String({ maxLength: 20 })), level: Type.Optional(Type.String({ maxLength: 1 })),
  outcome: Type.Optional(Type.String({ maxLength: 30 })), cancel: Type.Optional(Type.String({ maxLength: 1 })),
});

export interface ReadRequest {
  id: string;
  issuer: string;
  level: number;
  acsUrl: string;
  sloUrl: string;
  spEntityId: string;
}

const SloBody = Type.Object({
  SAMLRequest: Type.Optional(Type.String({ maxLength: 60_000 })), SAMLResponse: Type.Optional(Type.String({ maxLength: 60_000 })),
  RelayState: Type.Optional(Type.String({ maxLength: 200 })),
});
const LogoutBody = Type.Object({ nameId: Type.String({ maxLength: 100 }) });

/** The AuthnRequest, believed only once the SP's signature verifies. */
function readRequest(federation: Federation, samlRequest: string): ReadRequest | null {
  try {
    const xml = Buffer.from(samlRequest, 'base64').toString('utf8');
    const root = parseXml(xml).documentElement as Element;
    verifyElementSignature(xml, root, [federation.key.certBase64]);
    const issuer = text(child(root, ns.saml, 'Issuer'));
    const profile = Object.values(federation.profiles).find((p) => p.entityId === issuer);
    const context = child(root, ns.samlp, 'RequestedAuthnContext');
    const level = levelOf(text(context && child(context, ns.saml, 'AuthnContextClassRef')));
    const id = root.getAttribute('ID');
    if (!profile || !level || !id) return null;
    return { id, issuer, level, acsUrl: profile.acsUrl, sloUrl: profile.sloUrl, spEntityId: profile.entityId };
  } catch {
    return null;
  }
}

const rememberedSubjects = 20;

function answer(idp: DevIdp, request: ReadRequest, form: { identity?: string; level?: string; outcome?: string }, now: Date): string {
  const identity = testIdentities.find((i) => i.key === form.identity) ?? testIdentities[0];
  const level = Number(form.level ?? request.level);
  const fields = defaultResponseFields({
    idpEntityId: idp.provider.entityId, requestId: request.id, acsUrl: request.acsUrl, spEntityId: request.spEntityId,
    level: [1, 2, 3].includes(level) ? level : request.level, now, attributes: identity ? attributesOf(identity) : {},
  });
  const anomaly = outcomes[(form.outcome ?? 'ok') as Outcome] ?? null;
  if (anomaly) {
    Object.assign(fields, { statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder', statusMessage: `ErrorCode ${anomaly}`, assertion: null });
  }
  // Remembered for an IdP-initiated logout (/dev/idp/logout): SPID sign-ins only (CIE has no
  // single logout), the latest few only (a development process, memory only).
  if (fields.assertion && request.sloUrl.endsWith('/auth/spid/slo')) {
    idp.subjects.set(fields.assertion.nameId, { sessionIndex: fields.assertion.id, sloUrl: request.sloUrl, spEntityId: request.spEntityId, at: now });
    for (const oldest of idp.subjects.keys()) {
      if (idp.subjects.size <= rememberedSubjects) break;
      idp.subjects.delete(oldest);
    }
  }
  return Buffer.from(signedResponse(fields, idp.key)).toString('base64');
}

export async function devIdpRoutes(plain: FastifyInstance, options: { deps: FlowDeps; idp: DevIdp; federation: Federation }): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { deps, idp, federation } = options;
  const errorPage = (request: FastifyRequest, reply: Parameters<typeof pageContext>[1]) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('devIdp.title'), body: idpErrorBody(ctx) }, 400);
  };

  app.get('/dev/idp/metadata', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/samlmetadata+xml').send(idp.metadata));

  app.post('/dev/idp/sso', { schema: { hide: true, body: SsoBody } }, async (request, reply) => {
    const form = request.body;
    const read = readRequest(federation, form.SAMLRequest);
    if (!read) return errorPage(request, reply);
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('devIdp.title'), body: chooserBody(ctx, { ...form, level: read.level, sp: read.issuer }) });
  });

  app.post('/dev/idp/answer', { schema: { hide: true, body: AnswerBody } }, async (request, reply) => {
    const body = request.body;
    const form = body.cancel ? { ...body, outcome: 'cancelled' } : body;
    const read = readRequest(federation, form.SAMLRequest);
    if (!read) return errorPage(request, reply);
    const samlResponse = answer(idp, read, form, deps.clock.now());
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, {
      title: ctx.t('devIdp.title'),
      body: postBindingBody(ctx, { action: read.acsUrl, samlRequest: samlResponse, relayState: form.RelayState ?? '' }, 'SAMLResponse'),
    });
  });

  // The SingleLogoutService: the SP's signed LogoutRequest is answered with a signed LogoutResponse;
  // the SP's LogoutResponse to our own request just ends here.
  app.post('/dev/idp/slo', { schema: { hide: true, body: SloBody } }, async (request, reply) => {
    const body = request.body;
    const ctx = pageContext(request, reply);
    if (body.SAMLResponse) return sendPage(reply, ctx, { title: ctx.t('devIdp.logout.title'), body: loggedOutBody(ctx) });
    const read = body.SAMLRequest ? readLogoutRequest(federation, body.SAMLRequest) : null;
    if (!read) return errorPage(request, reply);
    idp.subjects.delete(read.nameId);
    const xml = buildLogoutResponse(idp.key, {
      id: newSamlId(), issueInstant: deps.clock.now(), destination: read.sloUrl, issuer: idp.provider.entityId, inResponseTo: read.id,
    });
    return sendPage(reply, ctx, {
      title: ctx.t('devIdp.logout.title'),
      body: postBindingBody(ctx, { action: read.sloUrl, samlRequest: encodeForPost(xml), relayState: body.RelayState ?? '' }, 'SAMLResponse', ctx.t('devIdp.logout.done')),
    });
  });

  app.get('/dev/idp/logout', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const subjects = [...idp.subjects.entries()].map(([nameId, subject]) => ({ nameId, spEntityId: subject.spEntityId }));
    return sendPage(reply, ctx, { title: ctx.t('devIdp.logout.title'), body: logoutChooserBody(ctx, subjects) });
  });

  app.post('/dev/idp/logout', { schema: { hide: true, body: LogoutBody } }, async (request, reply) => {
    const { nameId } = request.body;
    const subject = idp.subjects.get(nameId);
    if (!subject) return errorPage(request, reply);
    idp.subjects.delete(nameId);
    const xml = buildLogoutRequest(idp.key, {
      id: newSamlId(), issueInstant: deps.clock.now(), destination: subject.sloUrl, issuer: idp.provider.entityId,
      nameId, nameQualifier: idp.provider.entityId, sessionIndex: subject.sessionIndex,
    });
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, {
      title: ctx.t('devIdp.logout.title'),
      body: postBindingBody(ctx, { action: subject.sloUrl, samlRequest: encodeForPost(xml), relayState: '' }, 'SAMLRequest', ctx.t('devIdp.logout.intro')),
    });
  });
}

/** The SP's LogoutRequest, believed only once the SP's signature verifies. */
function readLogoutRequest(federation: Federation, samlRequest: string): { id: string; nameId: string; sloUrl: string } | null {
  try {
    const xml = Buffer.from(samlRequest, 'base64').toString('utf8');
    const root = parseXml(xml).documentElement as Element;
    verifyElementSignature(xml, root, [federation.key.certBase64]);
    const issuer = text(child(root, ns.saml, 'Issuer'));
    const id = root.getAttribute('ID');
    if (root.localName !== 'LogoutRequest' || issuer !== federation.profiles.spid.entityId || !id) return null;
    return { id, nameId: text(child(root, ns.saml, 'NameID')), sloUrl: federation.profiles.spid.sloUrl };
  } catch {
    return null;
  }
}
