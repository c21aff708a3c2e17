// S36 of SECURITY.md: a state-changing request that a session cookie authenticates is refused
// when the browser says it comes from another site. CSRF tokens (S24) guard the forms; this
// guards everything else a cookie can reach, bodiless POSTs included
// (`POST /api/v1/me/pin/revoke` from https://evil.example must not revoke anything).
// Browsers send Origin on every cross-origin POST and Sec-Fetch-Site on every request; a
// client that sends neither (curl, a server-side client) is not a browser a site can steer.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../domain/errors.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const cookieSessions = ['varco_session', '__Host-varco_session', 'varco_desk', '__Host-varco_desk'];
// SAML bindings (SPID / CIE ACS and single logout) are cross-site POSTs by design, from the
// identity provider's page; they are authenticated by the signed message, never by the cookie.
const federationBindings = /^\/auth\/(spid|cie)\/(acs|slo)(\?|$)/;

function sameOrigin(origin: string, request: FastifyRequest, publicOrigin: string): boolean {
  if (origin === publicOrigin) return true;
  try {
    const from = new URL(origin);
    // The Host the browser addressed, read with the origin's scheme so default ports compare equal.
    return from.host === new URL(`${from.protocol}//${request.headers.host ?? ''}`).host;
  } catch {
    return false;
  }
}

export function isCrossSite(request: FastifyRequest, publicOrigin: string): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  return !sameOrigin(origin, request, publicOrigin);
}

export const crossSiteGuard = fp(async (app: FastifyInstance, options: { publicUrl: string }) => {
  const publicOrigin = new URL(options.publicUrl).origin;
  app.addHook('onRequest', async (request) => {
    if (safeMethods.has(request.method) || federationBindings.test(request.url)) return;
    if (!cookieSessions.some((name) => request.cookies[name] !== undefined)) return;
    if (isCrossSite(request, publicOrigin)) throw new AppError('csrf_invalid', {}, 'cross-site request with a session cookie');
  });
});
