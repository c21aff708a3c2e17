// The provider's interaction URL is a Varco page: sign-in through Varco's own flow (with
// its lockout, required actions and recovery), then consent, then back to the provider.
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { Type } from 'typebox';
import { recordAudit } from '../../store/audit.repo.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { allowFormTargetOrigin } from './oidc.csp.ts';
import { oidcServiceFor } from './oidc.service.ts';
import { startLoginFlow } from '../sign-in/login-flow.steps.ts';
import { acrValues } from './oidc.account.ts';
import { decide, interactionPath, rememberConsent, type InteractionView } from './oidc-interaction.steps.ts';
import { consentBody, continueBody, oidcErrorBody } from './views/oidc.pages.ts';

const Params = Type.Object({ uid: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) });
const CsrfForm = Type.Object({ _csrf: Type.String({ maxLength: 200 }) }, { additionalProperties: false });

/**
 * Into Varco's sign-in as a login flow that remembers the interaction: the flow returns to it
 * after the sign-in and any required action (change of a temporary password, first PIN...).
 */
async function signInLocation(deps: FlowDeps, view: InteractionView, next: string): Promise<string> {
  const requested = String(view.params.acr_values ?? '').split(' ')[0];
  const flow = await startLoginFlow(deps, {
    returnTo: next, oidcInteractionId: view.uid, requestedAcr: (acrValues as readonly string[]).includes(requested ?? '') ? requested : null,
  });
  return `/signin?flow=${flow.id}`;
}

async function detailsOrPage(provider: Provider, request: FastifyRequest, reply: FastifyReply): Promise<InteractionView | null> {
  try {
    return (await provider.interactionDetails(request.raw, reply.raw)) as unknown as InteractionView;
  } catch {
    // Unknown, expired or foreign interaction: a Varco page, never a redirect.
    const ctx = pageContext(request, reply);
    await sendPage(reply, ctx, { title: ctx.t('oidc.error.title'), body: oidcErrorBody(ctx, { expired: true, code: 'interaction_expired' }) }, 400);
    return null;
  }
}

async function clientName(provider: Provider, view: InteractionView): Promise<string> {
  const client = await provider.Client.find(String(view.params.client_id ?? ''));
  return client?.clientName ?? String(view.params.client_id ?? '');
}

/**
 * Back to the provider through a page rather than a redirect: the journey may have started
 * with the sign-in form's POST, and browsers apply that page's form-action to every redirect
 * that follows it, the last one (to the service) included.
 */
function sendContinue(reply: FastifyReply, request: FastifyRequest, location: string, client: string) {
  const ctx = pageContext(request, reply);
  reply.header('Refresh', `0; url=${location}`);
  return sendPage(reply, ctx, { title: ctx.t('oidc.continue.title'), body: continueBody(ctx, { location, client }) });
}

export async function oidcInteractionRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  await app.register(fastifyFormbody, { bodyLimit: 16 * 1024 });
  const service = oidcServiceFor(deps);

  app.get('/oidc/interaction/:uid', { schema: { hide: true, params: Params } }, async (request, reply) => {
    const provider = await service.provider();
    const view = await detailsOrPage(provider, request, reply);
    if (!view) return reply;
    const decision = decide(view, request.citizen);
    if (decision.kind === 'sign_in') return redirectTo(reply, await signInLocation(deps, view, decision.next));
    // Completing the login on a GET is the single sign-on step itself (the authorization
    // endpoint is a GET by protocol): it only records "this browser's live Varco session"
    // for an interaction the provider bound to this browser by its own cookie.
    if (decision.kind === 'login') {
      const location = await provider.interactionResult(request.raw, reply.raw, decision.result, { mergeWithLastSubmission: false });
      return sendContinue(reply, request, location, await clientName(provider, view));
    }
    const ctx = pageContext(request, reply);
    allowFormTargetOrigin(reply.raw, String(view.params.redirect_uri ?? ''));
    const scopes = String(view.params.scope ?? 'openid').split(' ');
    return sendPage(reply, ctx, { title: ctx.t('oidc.consent.title'), body: consentBody(ctx, { uid: view.uid, client: await clientName(provider, view), scopes }) });
  });

  const formOptions = { schema: { hide: true, params: Params, body: CsrfForm }, preValidation: app.csrfProtection };

  app.post('/oidc/interaction/:uid/confirm', formOptions, async (request, reply) => {
    const provider = await service.provider();
    const view = await detailsOrPage(provider, request, reply);
    if (!view) return reply;
    const decision = decide(view, request.citizen);
    if (decision.kind !== 'consent') return redirectTo(reply, await signInLocation(deps, view, interactionPath(view.uid)));
    const accountId = request.citizen!.account.id;
    const clientId = String(view.params.client_id);
    const details = view.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    const existing = (view as { grantId?: string }).grantId;
    const grant = (existing ? await provider.Grant.find(existing) : undefined) ?? new provider.Grant({ accountId, clientId });
    if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
    const grantId = await grant.save();
    await deps.db.transaction(async (tx) => {
      await rememberConsent(tx, { accountId, clientId, scopes: details.missingOIDCScope ?? [], claims: details.missingOIDCClaims ?? [] }, deps.clock.now());
      await recordAudit(tx, deps.clock.now(), {
        type: 'oidc_consent_given', actor: `citizen:${request.citizen!.account.codice_fiscale}`, accountId, ...requestMeta(request),
        outcome: 'success', details: { clientId },
      });
    });
    const location = await provider.interactionResult(request.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return redirectTo(reply, location);
  });

  app.post('/oidc/interaction/:uid/abort', formOptions, async (request, reply) => {
    const provider = await service.provider();
    const view = await detailsOrPage(provider, request, reply);
    if (!view) return reply;
    const result = { error: 'access_denied', error_description: 'the citizen did not authorise the service' };
    const location = await provider.interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: false });
    return redirectTo(reply, location);
  });
}
