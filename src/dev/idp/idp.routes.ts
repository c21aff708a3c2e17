// Development only (never registered in production, so 404 there): a SPID/CIE test IdP
// speaking real SAML — it checks the SP's signed AuthnRequest, lets the tester pick an
// identity, a level and an outcome, and posts back a Response signed with its own key.
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
import { defaultResponseFields, signedResponse } from './idp.response.ts';
import { chooserBody, idpErrorBody } from './idp.views.ts';

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
  spEntityId: string;
}

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
    return { id, issuer, level, acsUrl: profile.acsUrl, spEntityId: profile.entityId };
  } catch {
    return null;
  }
}

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
  return Buffer.from(signedResponse(fields, idp.key)).toString('base64');
}

export async function devIdpRoutes(app: FastifyInstance, options: { deps: FlowDeps; idp: DevIdp; federation: Federation }): Promise<void> {
  const { deps, idp, federation } = options;
  const errorPage = (request: FastifyRequest, reply: Parameters<typeof pageContext>[1]) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('devIdp.title'), body: idpErrorBody(ctx) }, 400);
  };

  app.get('/dev/idp/metadata', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/samlmetadata+xml').send(idp.metadata));

  app.post('/dev/idp/sso', { schema: { hide: true, body: SsoBody } }, async (request, reply) => {
    const form = request.body as { SAMLRequest: string; RelayState?: string };
    const read = readRequest(federation, form.SAMLRequest);
    if (!read) return errorPage(request, reply);
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('devIdp.title'), body: chooserBody(ctx, { ...form, level: read.level, sp: read.issuer }) });
  });

  app.post('/dev/idp/answer', { schema: { hide: true, body: AnswerBody } }, async (request, reply) => {
    const body = request.body as { SAMLRequest: string; RelayState?: string; identity?: string; level?: string; outcome?: string; cancel?: string };
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
}
