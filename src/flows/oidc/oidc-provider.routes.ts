// The provider's node handler inside Fastify: /oidc/* and the discovery document, with the
// reply hijacked. The provider parses its own bodies, so this scope leaves them unread.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FlowDeps } from '../deps.ts';
import { pageContext } from '../../web/page.ts';
import { sessionCookieName } from '../../web/session.ts';
import { attachRuntime } from './oidc.runtime.ts';
import { oidcServiceFor } from './oidc.service.ts';
import { providerPages } from './views/oidc.pages.ts';

export async function oidcProviderMount(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const service = oidcServiceFor(deps);

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const provider = await service.provider();
    attachRuntime(request.raw, {
      citizen: request.citizen,
      pages: providerPages(pageContext(request, reply)),
      sessionCookieName: sessionCookieName(deps.config),
    });
    // Every URL the provider builds comes from PUBLIC_URL, never from what the client sent
    // as Host (discovery and redirects cannot be poisoned through the Host header).
    const publicUrl = new URL(deps.config.publicUrl);
    const headers = request.raw.headers;
    headers.host = publicUrl.host;
    headers['x-forwarded-proto'] = publicUrl.protocol.replace(':', '');
    headers['x-forwarded-for'] = request.ip;
    delete headers['x-forwarded-host'];
    reply.hijack();
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined && !reply.raw.hasHeader(name)) reply.raw.setHeader(name, value);
    }
    await provider.callback()(request.raw, reply.raw);
  }

  const schema = { hide: true };
  app.get('/.well-known/openid-configuration', { schema }, handle);
  app.route({ method: ['GET', 'POST', 'OPTIONS'], url: '/oidc/*', schema, handler: handle });
}
