// OpenID Connect test helpers: a served app whose PUBLIC_URL is its real address, a
// registered service, and a tiny cookie-keeping "browser" over fetch that follows
// redirects and Refresh headers the way a browser would, without running any script.
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { adminToken, type TestApp } from './app.ts';
import { serveForBrowser } from './browser.ts';

export const callback = 'http://127.0.0.1:9/cb';
export const loggedOut = 'http://127.0.0.1:9/bye';

export async function serveOidc(t: TestApp): Promise<string> {
  const base = await serveForBrowser(t.app);
  t.deps.config.publicUrl = base; // the provider is built at the first OIDC request, with this issuer
  return base;
}

export async function registerService(t: TestApp, type: 'public' | 'confidential', redirectUris = [callback], postLogoutRedirectUris = [loggedOut]) {
  const response = await t.app.inject({
    method: 'POST', url: '/api/v1/admin/oidc/clients', headers: { authorization: `Bearer ${adminToken}` },
    payload: { name: 'Estratto contributivo', redirectUris, postLogoutRedirectUris, type },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as { clientId: string; clientSecret?: string };
}

export async function discover(base: string, service: { clientId: string; clientSecret?: string }) {
  const auth = service.clientSecret ? client.ClientSecretBasic(service.clientSecret) : client.None();
  return client.discovery(new URL(base), service.clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
}

export class CookieBrowser {
  readonly cookies = new Map<string, string>();

  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const gone = value === '' || attributes.some((a) => /max-age=0\b/i.test(a) || /expires=thu, 01 jan 1970/i.test(a));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown } = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.header(), 'accept-language': 'it' };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = this.base;
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const response = await fetch(new URL(url, this.base), { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.keep(response);
    return response;
  }

  /** Follows redirects and Refresh headers until a page is shown or the browser leaves Varco. */
  async follow(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ url: string; response: Response; text: string }> {
    let current = new URL(url, this.base).href;
    let response = await this.request(current, init);
    for (let hops = 0; hops < 20; hops++) {
      const location = response.headers.get('location') ?? /^0; url=(.+)$/.exec(response.headers.get('refresh') ?? '')?.[1];
      if (!location) break;
      current = new URL(location, current).href;
      if (!current.startsWith(this.base)) return { url: current, response, text: '' };
      response = await this.request(current);
    }
    return { url: current, response, text: await response.text() };
  }
}

export function csrfOf(page: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(token, 'the page has a CSRF field');
  return token;
}

export async function authorizationRequest(config: client.Configuration, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: callback, scope: 'openid profile email', code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256', state, nonce, ...extra,
  });
  return { url, verifier, state, nonce };
}

/** A browser already signed in to Varco through the session API. */
export async function signedInBrowser(base: string, citizen: { codiceFiscale: string; password: string }): Promise<CookieBrowser> {
  const browser = new CookieBrowser(base);
  const response = await browser.request('/api/v1/session', { json: { codiceFiscale: citizen.codiceFiscale, password: citizen.password } });
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
  return browser;
}
