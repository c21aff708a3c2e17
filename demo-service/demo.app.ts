// "Estratto contributivo", a demo portal service that relies on Varco: it signs citizens in
// with openid-client (discovery, authorization code with PKCE, state and nonce bound to
// this browser), shows the claims it received and signs out through Varco's end_session.
// It keeps its sessions in memory: it is a demonstration, not part of Varco.
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import * as oidc from 'openid-client';
import { page, escape } from './demo.page.ts';

export interface DemoOptions {
  varcoUrl: string; // Varco's issuer (PUBLIC_URL)
  publicUrl: string; // where this service is reachable
  clientId: string;
  clientSecret?: string;
  scope?: string;
}

interface Pending { verifier: string; state: string; nonce: string }
interface Signed { claims: Record<string, unknown>; idToken: string; kid: string }

/** The key id in the ID token's header (openid-client has verified the signature with it already). */
function keyIdOf(idToken: string): string {
  try {
    return String((JSON.parse(Buffer.from(idToken.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown }).kid ?? '');
  } catch {
    return '';
  }
}

const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const };

export async function buildDemoApp(options: DemoOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  const pending = new Map<string, Pending>();
  const sessions = new Map<string, Signed>();
  let config: oidc.Configuration | null = null;

  async function varco(): Promise<oidc.Configuration> {
    if (config) return config;
    const auth = options.clientSecret ? oidc.ClientSecretBasic(options.clientSecret) : oidc.None();
    const insecure = options.varcoUrl.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : undefined;
    config = await oidc.discovery(new URL(options.varcoUrl), options.clientId, undefined, auth, insecure);
    return config;
  }

  const signedIn = (request: FastifyRequest) => sessions.get(request.cookies.demo_session ?? '') ?? null;
  const send = (reply: FastifyReply, title: string, body: string, status = 200) =>
    reply.status(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(page(title, body));

  app.get('/', async (request, reply) => {
    const session = signedIn(request);
    if (!session) return send(reply, 'Estratto contributivo', '<p>Per vedere il tuo estratto contributivo accedi con Varco.</p><p><a class="btn" href="/login">Accedi con Varco</a></p>');
    const c = session.claims;
    const rows = (['given_name', 'family_name', 'fiscal_number', 'birthdate', 'email', 'acr', 'amr'] as const)
      .map((name) => `<tr><th>${name}</th><td data-claim="${name}">${escape(Array.isArray(c[name]) ? (c[name] as string[]).join(' ') : String(c[name] ?? ''))}</td></tr>`).join('')
      + `<tr><th>chiave di firma</th><td data-token="kid">${escape(session.kid)}</td></tr>`;
    return send(reply, 'Estratto contributivo', `<p id="welcome">Benvenuto, ${escape(String(c.given_name ?? ''))}.</p>
      <table>${rows}</table><form method="post" action="/logout"><button type="submit">Esci</button></form>`);
  });

  app.get('/login', async (_request, reply) => {
    const flow = randomBytes(16).toString('base64url');
    const entry = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
    pending.set(flow, entry);
    const url = oidc.buildAuthorizationUrl(await varco(), {
      redirect_uri: `${options.publicUrl}/callback`, scope: options.scope ?? 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(entry.verifier), code_challenge_method: 'S256',
      state: entry.state, nonce: entry.nonce,
    });
    reply.setCookie('demo_flow', flow, { ...cookieOptions, maxAge: 600 });
    return reply.redirect(url.href, 303);
  });

  app.get('/callback', async (request, reply) => {
    const flow = request.cookies.demo_flow ?? '';
    const entry = pending.get(flow);
    pending.delete(flow);
    reply.clearCookie('demo_flow', cookieOptions);
    if (!entry) return send(reply, 'Accesso non riuscito', '<p>Richiesta di accesso sconosciuta o scaduta. <a href="/login">Riprova</a>.</p>', 400);
    try {
      const current = new URL(request.url, options.publicUrl);
      const tokens = await oidc.authorizationCodeGrant(await varco(), current, {
        pkceCodeVerifier: entry.verifier, expectedState: entry.state, expectedNonce: entry.nonce, idTokenExpected: true,
      });
      const idClaims: Record<string, unknown> = tokens.claims() ?? {};
      const info = await oidc.fetchUserInfo(await varco(), tokens.access_token, String(idClaims.sub));
      const id = randomBytes(24).toString('base64url');
      sessions.set(id, { claims: { ...info, acr: idClaims.acr, amr: idClaims.amr }, idToken: tokens.id_token ?? '', kid: keyIdOf(tokens.id_token ?? '') });
      reply.setCookie('demo_session', id, cookieOptions);
      return reply.redirect('/', 303);
    } catch (error) {
      const code = (error as { error?: string; code?: string }).error ?? (error as { code?: string }).code ?? 'error';
      return send(reply, 'Accesso non riuscito', `<p>Varco non ha concesso l’accesso (${escape(code)}). <a href="/login">Riprova</a>.</p>`, 400);
    }
  });

  app.post('/logout', async (request, reply) => {
    const session = signedIn(request);
    sessions.delete(request.cookies.demo_session ?? '');
    reply.clearCookie('demo_session', cookieOptions);
    if (!session) return reply.redirect('/', 303);
    const url = oidc.buildEndSessionUrl(await varco(), { id_token_hint: session.idToken, post_logout_redirect_uri: `${options.publicUrl}/signed-out` });
    return reply.redirect(url.href, 303);
  });

  app.get('/signed-out', async (_request, reply) =>
    send(reply, 'Sei uscito', '<p id="signed-out">Sei uscito dal servizio e da Varco.</p><p><a href="/">Torna alla pagina iniziale</a></p>'));

  return app;
}

/** Registers the demo as a public service with Varco's platform-admin API. */
export async function registerDemoClient(varcoUrl: string, adminToken: string, publicUrl: string): Promise<string> {
  const response = await fetch(`${varcoUrl}/api/v1/admin/oidc/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Estratto contributivo (demo)', redirectUris: [`${publicUrl}/callback`], postLogoutRedirectUris: [`${publicUrl}/signed-out`], type: 'public' }),
  });
  if (response.status !== 201) throw new Error(`Varco refused the registration: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { clientId: string }).clientId;
}
