// Helpers for HTML pages: the page context (language, CSRF token, session) and replies
// that are never cached, since pages may show personal data or secrets (S25).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashToken } from '../domain/secrets.ts';
import type { Html } from './html.ts';
import { translator, type Translate } from './i18n/index.ts';
import { resolveLanguage } from './language.ts';
import { layout, type PageContext } from './layout.ts';

/** CSRF tokens are bound to the session they were issued in, a citizen's, an operator's or an administration's (S24). */
export function csrfBinding(request: FastifyRequest): string {
  const operatorSession = request.cookies.varco_desk ?? request.cookies['__Host-varco_desk'];
  const administrationSession = request.cookies.varco_adm ?? request.cookies['__Host-varco_adm'];
  return request.citizen?.idHash ?? (operatorSession ? `desk:${hashToken(operatorSession)}`
    : administrationSession ? `adm:${hashToken(administrationSession)}` : 'anonymous');
}

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  // Errors raised before the language hook ran still get a translated page.
  const known = request.t as Translate | null;
  const lang = known ? request.lang : resolveLanguage(request).lang;
  return {
    lang,
    t: known ?? translator(lang),
    path: request.url,
    signedIn: request.citizen !== null,
    csrfToken: reply.generateCsrf({ userInfo: csrfBinding(request) }),
  };
}

export function sendPage(reply: FastifyReply, ctx: PageContext, page: { title: string; body: Html }, status = 200) {
  return reply
    .status(status)
    .header('Cache-Control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(layout(ctx, page));
}

/** 303 so that the browser follows a POST with a GET (post/redirect/get). */
export function redirectTo(reply: FastifyReply, location: string) {
  return reply.redirect(location, 303);
}
