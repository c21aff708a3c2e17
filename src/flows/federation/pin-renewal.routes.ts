// /area/pin/renew: after a SPID (level ≥ 2) or CIE sign-in, a PIN holder revokes the PIN and
// gets a new one (citizen pages scope: a session and a CSRF token); /recovery/pin/renewed is
// the public page after it, since every session ended with the old PIN.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formBody, formRoute } from '../../web/form-route.ts';
import { pageContext, redirectTo, sendPage } from '../../web/page.ts';
import { requestMeta } from '../../web/request-meta.ts';
import { clearSessionCookie, requireCitizen } from '../../web/session.ts';
import type { FlowDeps } from '../deps.ts';
import { pinRenewal, renewPinThroughFederation, type PinRenewal } from './pin-renewal.steps.ts';
import { pinRenewalBody, pinRenewedBody } from './views/pin-renewal.pages.ts';

export const pinRenewalPath = '/area/pin/renew';

export async function pinRenewalRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  const render = (request: FastifyRequest, reply: FastifyReply, verdict: PinRenewal, status = 200, error?: string) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('federation.pinRenewal.title'), body: pinRenewalBody(ctx, verdict, error) }, status);
  };
  const verdictOf = (request: FastifyRequest) => {
    const session = requireCitizen(request);
    return pinRenewal(session.account, { method: session.authMethod, acr: session.acr, createdAt: session.createdAt }, deps.clock.now());
  };

  app.get(pinRenewalPath, { schema: { hide: true } }, async (request, reply) => {
    const verdict = verdictOf(request);
    return render(request, reply, verdict, verdict === 'allowed' ? 200 : 403);
  });

  formRoute(app, pinRenewalPath, {
    body: formBody({}),
    run: async (request, reply) => {
      const session = requireCitizen(request);
      await renewPinThroughFederation(deps, { accountId: session.account.id, method: session.authMethod, acr: session.acr, createdAt: session.createdAt },
        requestMeta(request));
      clearSessionCookie(reply, deps.config); // the PIN recovery rule ended every session, this one too
      return redirectTo(reply, '/recovery/pin/renewed');
    },
    render: (request, reply, { status, errors }) => {
      const verdict = verdictOf(request);
      return render(request, reply, verdict === 'allowed' ? 'allowed' : verdict, status, errors.form);
    },
  });
}

export async function pinRenewedPageRoutes(app: FastifyInstance): Promise<void> {
  app.get('/recovery/pin/renewed', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('federation.pinRenewal.title'), body: pinRenewedBody(ctx) });
  });
}
