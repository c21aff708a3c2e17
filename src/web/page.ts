// Helpers for HTML pages: the page context (language, CSRF token, session) and replies
// that are never cached, since pages may show personal data or secrets (S25).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PortalConfig } from '../config.ts';
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

declare module 'fastify' {
  interface FastifyInstance {
    /** The owning administration shown by every page (config.portal). */
    portal?: PortalConfig;
  }
}

// One context per reply: generating a second CSRF token on a visitor's first page would set a
// second secret cookie that no longer matches the token already written into the form.
const contexts = new WeakMap<FastifyReply, PageContext>();

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  const cached = contexts.get(reply);
  if (cached) return cached;
  // Errors raised before the language hook ran still get a translated page.
  const known = request.t as Translate | null;
  const lang = known ? request.lang : resolveLanguage(request).lang;
  const operator = request.operator !== null && request.operator !== undefined;
  const ctx: PageContext = {
    lang,
    t: known ?? translator(lang),
    path: request.url,
    signedIn: request.citizen !== null || operator,
    csrfToken: reply.generateCsrf({ userInfo: csrfBinding(request) }),
    ...(request.server.portal ? { portal: request.server.portal } : {}),
    ...(operator && !request.citizen ? { signOutAction: '/desk/signout' } : {}),
  };
  contexts.set(reply, ctx);
  return ctx;
}

/**
 * A page as UTF-8 bytes, encoded once. A page holding any character beyond Latin-1 (the
 * Romanian language link, a typographic apostrophe) is a two-byte string, which Fastify
 * measures with Buffer.byteLength and Node then encodes again to write it, each pass about
 * four times a Latin-1 string's cost (issue 14: about 11 µs of the sign-in page's ≈ 200 µs).
 */
function pageBytes(page: string): Buffer {
  return Buffer.from(page, 'utf8');
}

export function sendPage(reply: FastifyReply, ctx: PageContext, page: { title: string; body: Html }, status = 200) {
  return reply
    .status(status)
    .header('Cache-Control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(pageBytes(layout(ctx, page)));
}

/** 303 so that the browser follows a POST with a GET (post/redirect/get). */
export function redirectTo(reply: FastifyReply, location: string) {
  return reply.redirect(location, 303);
}
