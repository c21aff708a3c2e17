// The OpenID Connect provider driven by openid-client: discovery, the authorization code
// flow with PKCE through Varco's own sign-in and consent, token validation (signature, iss,
// aud, nonce, acr), claims by scope, remembered and revoked consent, key rotation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { activateCitizen, startTestApp, type TestApp } from '../helpers/app.ts';
import { authorizationRequest, callback, CookieBrowser, csrfOf, discover, registerService, serveOidc, signedInBrowser } from '../helpers/oidc.ts';

const citizen = { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'Mario', lastName: 'Rossi', email: 'mario@example.it', password: 'Tramonto-Viola!Sul-Po7' };

describe('OpenID Connect provider', () => {
  let t: TestApp;
  let base: string;

  before(async () => {
    t = await startTestApp();
    base = await serveOidc(t);
    await activateCitizen(t.app, citizen);
  });
  after(async () => t?.close());

  const signedIn = () => signedInBrowser(base, citizen);

  test('discovery announces the issuer, code flow, S256 and no "none" algorithm', async () => {
    const response = await fetch(`${base}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const doc = await response.json() as Record<string, unknown>;
    assert.equal(doc.issuer, base);
    assert.deepEqual(doc.response_types_supported, ['code']);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.equal(doc.authorization_endpoint, `${base}/oidc/auth`);
    assert.ok(!(doc.id_token_signing_alg_values_supported as string[]).includes('none'));
    assert.ok((doc.acr_values_supported as string[]).includes('urn:varco:acr:pin'));
    assert.ok(doc.end_session_endpoint);
  });

  test('code flow with PKCE: consent once, then tokens that validate, claims by scope', async () => {
    const service = await registerService(t, 'public');
    const config = await discover(base, service);
    const browser = await signedIn();
    const request = await authorizationRequest(config);
    const consent = await browser.follow(request.url.href);
    assert.equal(consent.response.status, 200);
    assert.match(consent.url, /\/oidc\/interaction\//);
    assert.match(consent.text, /Estratto contributivo/);
    assert.match(consent.text, /codice fiscale/);
    const uid = /\/oidc\/interaction\/([^/?]+)/.exec(consent.url)?.[1];
    const back = await browser.follow(`/oidc/interaction/${uid}/confirm`, { form: { _csrf: csrfOf(consent.text) } });
    assert.ok(back.url.startsWith(callback), back.url);

    const tokens = await client.authorizationCodeGrant(config, new URL(back.url), {
      pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce, idTokenExpected: true,
    });
    const claims = tokens.claims();
    assert.ok(claims);
    assert.equal(claims.iss, base);
    assert.equal(claims.aud, service.clientId);
    assert.equal(claims.acr, 'urn:varco:acr:password');
    assert.deepEqual(claims.amr, ['pwd']);
    assert.equal(tokens.refresh_token, undefined, 'no refresh token for a public client');
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.given_name, 'Mario');
    assert.equal(info.fiscal_number, 'TINIT-RSSMRA85T10A562S');
    assert.equal(info.email, 'mario@example.it');
    assert.equal(info.phone_number, undefined, 'phone was not asked for');

    // Remembered: the next sign-in to the same service goes straight back.
    const again = await authorizationRequest(config);
    const straight = await browser.follow(again.url.href);
    assert.ok(straight.url.startsWith(callback), straight.url);
    const more = await client.authorizationCodeGrant(config, new URL(straight.url), {
      pkceCodeVerifier: again.verifier, expectedState: again.state, expectedNonce: again.nonce, idTokenExpected: true,
    });
    assert.equal(more.claims()?.sub, claims.sub);
  });

  test('without PKCE a public client is refused; an unknown redirect_uri or client is a Varco page', async () => {
    const service = await registerService(t, 'public');
    const config = await discover(base, service);
    const browser = await signedIn();
    const noPkce = client.buildAuthorizationUrl(config, { redirect_uri: callback, scope: 'openid', state: 's' });
    const refused = await browser.request(noPkce.href);
    assert.equal(refused.status, 303);
    assert.match(refused.headers.get('location') ?? '', /error=invalid_request/);

    const request = await authorizationRequest(config, { redirect_uri: 'http://127.0.0.1:9/elsewhere' });
    const wrongRedirect = await browser.request(request.url.href);
    assert.equal(wrongRedirect.status, 400);
    assert.equal(wrongRedirect.headers.get('location'), null);
    assert.match(await wrongRedirect.text(), /Il servizio non può usare Varco così/);

    const unknown = await browser.request(`/oidc/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(callback)}`);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.headers.get('location'), null);
    assert.match(await unknown.text(), /invalid_client/);
  });

  test('the journey through Varco\'s sign-in form returns to the interaction and on to the service', async () => {
    const service = await registerService(t, 'public');
    const config = await discover(base, service);
    const browser = new CookieBrowser(base);
    const request = await authorizationRequest(config);
    const signIn = await browser.follow(request.url.href);
    const flow = /name="flow" value="([^"]+)"/.exec(signIn.text)?.[1];
    assert.ok(flow, 'the sign-in form carries the login flow');
    const consent = await browser.follow('/signin', { form: { _csrf: csrfOf(signIn.text), method: 'password', flow,
      codiceFiscale: citizen.codiceFiscale, password: citizen.password } });
    assert.match(consent.url, /\/oidc\/interaction\//);
    const back = await browser.follow(`${consent.url}/confirm`, { form: { _csrf: csrfOf(consent.text) } });
    assert.ok(back.url.startsWith(callback), `${back.url} ${back.text.slice(0, 2000)}`);
    const tokens = await client.authorizationCodeGrant(config, new URL(back.url), {
      pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce, idTokenExpected: true,
    });
    assert.equal(tokens.claims()?.acr, 'urn:varco:acr:password');
  });

  test('without a Varco session the journey goes to Varco\'s sign-in, inside a login flow', async () => {
    const service = await registerService(t, 'public');
    const config = await discover(base, service);
    const browser = new CookieBrowser(base);
    const request = await authorizationRequest(config);
    const page = await browser.follow(request.url.href);
    assert.match(page.url, /\/signin\?flow=[0-9a-f-]{36}$/);
    assert.equal(page.response.status, 200);
  });
});
