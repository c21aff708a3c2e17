// The request's language: ?lang= (remembered in a cookie), then the cookie, then
// Accept-Language, then Italian.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { requestField } from './request-field.ts';
import { isLanguage, languageFromHeader, translator, type Language, type Translate } from './i18n/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Language;
    t: Translate;
  }
}

export function resolveLanguage(request: FastifyRequest): { lang: Language; fromQuery: boolean } {
  const asked = requestField(request.query, 'lang');
  if (isLanguage(asked)) return { lang: asked, fromQuery: true };
  const cookie = request.cookies.lang;
  if (isLanguage(cookie)) return { lang: cookie, fromQuery: false };
  return { lang: languageFromHeader(request.headers['accept-language']) ?? 'it', fromQuery: false };
}

export const languagePlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('lang', 'it');
  app.decorateRequest('t', null as unknown as Translate);
  app.addHook('onRequest', async (request, reply) => {
    const { lang, fromQuery } = resolveLanguage(request);
    request.lang = lang;
    request.t = translator(lang);
    if (fromQuery && !request.url.startsWith('/api/')) {
      reply.setCookie('lang', lang, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 });
    }
  });
});
