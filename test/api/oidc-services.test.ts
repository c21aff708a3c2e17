// Registered services and what citizens do with them: the admin API, a confidential
// service (hashed secret, refresh token), consent revoked from the personal area,
// RP-initiated logout ending the Varco session, and signing-key rotation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as jose from 'jose';
import * as client from 'openid-client';
import { oidcServiceFor } from '../../src/flows/oidc/oidc.service.ts';
import { keyPublishSeconds } from '../../src/flows/oidc/oidc.provider.ts';
import { activateCitizen, adminToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { authorizationRequest, CookieBrowser, csrfOf, discover, loggedOut, registerService, serveOidc, signedInBrowser } from '../helpers/oidc.ts';

/** openid-client reports a refusal as a WWW-Authenticate challenge: its status and error code. */
function refusedWith(code: string) {
  return (error: unknown) => {
    const challenge = error as { status?: number; cause?: { parameters?: { error?: string } }[] };
    return challenge.status === 401 && challenge.cause?.[0]?.parameters?.error === code;
  };
}

const citizen = { codiceFiscale: 'BNCGLI90C55H501W', firstName: 'Giulia', lastName: 'Bianchi', email: 'giulia@example.it', password: 'Girasole#Lago-Blu42' };

describe('OpenID Connect services', () => {
  let t: TestApp;
  let base: string;

  before(async () => {
    t = await startTestApp();
    base = await serveOidc(t);
    await activateCitizen(t.app, citizen);
  });
  after(async () => t?.close());

  const signedIn = () => signedInBrowser(base, citizen);

  /** The whole journey for a signed-in browser, consenting when asked; returns the tokens. */
  async function signInto(config: client.Configuration, browser: CookieBrowser, extra: Record<string, string> = {}) {
    const request = await authorizationRequest(config, extra);
    let landed = await browser.follow(request.url.href);
    let consented = false;
    if (landed.url.includes('/oidc/interaction/')) {
      consented = true;
      landed = await browser.follow(`${landed.url}/confirm`, { form: { _csrf: csrfOf(landed.text) } });
    }
    const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), {
      pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce, idTokenExpected: true,
    });
    return { tokens, consented };
  }

  test('the admin API needs the platform-admin token and shows a secret only once, for confidential services', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/admin/oidc/clients' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'unauthenticated');
    const badBody = await t.app.inject({ method: 'POST', url: '/api/v1/admin/oidc/clients', headers: { authorization: `Bearer ${adminToken}` },
      payload: { name: 'x', redirectUris: ['javascript:alert(1)'], type: 'public' } });
    assert.equal(badBody.statusCode, 400);
    const plainHttp = await t.app.inject({ method: 'POST', url: '/api/v1/admin/oidc/clients', headers: { authorization: `Bearer ${adminToken}` },
      payload: { name: 'x', redirectUris: ['http://servizi.example.it/cb'], type: 'public' } });
    assert.equal(plainHttp.statusCode, 400);

    const publicService = await registerService(t, 'public');
    assert.equal(publicService.clientSecret, undefined);
    const confidential = await registerService(t, 'confidential');
    assert.ok(confidential.clientSecret && confidential.clientSecret.length >= 43);
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/admin/oidc/clients', headers: { authorization: `Bearer ${adminToken}` } });
    assert.equal(listed.statusCode, 200);
    assert.ok(!listed.body.includes(confidential.clientSecret), 'the secret is never shown again');
    const stored = await t.deps.db.query<{ secret_hash: string }>('SELECT secret_hash FROM oidc_clients WHERE client_id = $1', [confidential.clientId]);
    assert.notEqual(stored.rows[0]?.secret_hash, confidential.clientSecret, 'stored hashed');

    const removed = await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/oidc/clients/${publicService.clientId}`, headers: { authorization: `Bearer ${adminToken}` } });
    assert.equal(removed.statusCode, 204);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/oidc/clients/${publicService.clientId}`, headers: { authorization: `Bearer ${adminToken}` } });
    assert.equal(again.statusCode, 404);
  });

  test('a confidential service authenticates with its secret and gets a refresh token; a wrong secret is refused', async () => {
    const service = await registerService(t, 'confidential');
    const config = await discover(base, service);
    const browser = await signedIn();
    const { tokens } = await signInto(config, browser, { scope: 'openid profile offline_access', prompt: 'consent' });
    assert.ok(tokens.refresh_token, 'confidential services may hold refresh tokens');
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.ok(refreshed.access_token);

    const wrong = await discover(base, { clientId: service.clientId, clientSecret: 'not-the-secret' });
    await assert.rejects(client.refreshTokenGrant(wrong, refreshed.refresh_token ?? tokens.refresh_token), refusedWith('invalid_client'));
  });

  test('consent is remembered, and revoked from the personal area it is asked again and old tokens die', async () => {
    const service = await registerService(t, 'public');
    const config = await discover(base, service);
    const browser = await signedIn();
    const first = await signInto(config, browser);
    assert.equal(first.consented, true);
    const second = await signInto(config, browser);
    assert.equal(second.consented, false, 'remembered');

    const listed = await browser.request('/api/v1/me/services');
    const services = (await listed.json() as { services: { clientId: string; scopes: string[] }[] }).services;
    assert.ok(services.some((s) => s.clientId === service.clientId && s.scopes.includes('profile')));
    const page = await browser.follow('/area/services');
    assert.match(page.text, /Estratto contributivo/);
    const revoked = await browser.follow(`/area/services/${service.clientId}/revoke`, { form: { _csrf: csrfOf(page.text) } });
    assert.match(revoked.text, /Autorizzazione revocata/);

    await assert.rejects(client.fetchUserInfo(config, second.tokens.access_token, client.skipSubjectCheck), refusedWith('invalid_token'));
    const third = await signInto(config, browser);
    assert.equal(third.consented, true, 'asked again after revocation');
  });

  test('RP-initiated logout on a Varco page ends the Varco session too', async () => {
    const service = await registerService(t, 'public');
    const config = await discover(base, service);
    const browser = await signedIn();
    const { tokens } = await signInto(config, browser);
    const endUrl = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: loggedOut, state: 'bye' });
    const confirm = await browser.follow(endUrl.href);
    assert.equal(confirm.response.status, 200);
    assert.match(confirm.text, /Vuoi uscire da Varco\?/);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.text)?.[1];
    assert.ok(xsrf);
    const done = await browser.follow('/oidc/session/end/confirm', { form: { xsrf, logout: 'yes' } });
    assert.equal(done.url, `${loggedOut}?state=bye`);
    const me = await browser.request('/api/v1/me');
    assert.equal(me.status, 401, 'the Varco session ended');
  });

  test('key rotation: new tokens carry the new key, a token signed by the old key still validates', async () => {
    const service = await registerService(t, 'public');
    const config = await discover(base, service);
    const browser = await signedIn();
    const before = await signInto(config, browser);
    const oldKid = jose.decodeProtectedHeader(before.tokens.id_token!).kid;

    await oidcServiceFor(t.deps).rotateKeys();
    const jwks = jose.createRemoteJWKSet(new URL(`${base}/oidc/jwks`));
    const verified = await jose.jwtVerify(before.tokens.id_token!, jwks, { issuer: base, audience: service.clientId });
    assert.equal(verified.payload.acr, 'urn:varco:acr:password');
    const after = await signInto(config, browser);
    const newKid = jose.decodeProtectedHeader(after.tokens.id_token!).kid;
    assert.notEqual(newKid, oldKid);

    // Once every token the old key signed has expired, the next rotation stops publishing it.
    t.clock.advance(keyPublishSeconds + 1);
    await oidcServiceFor(t.deps).rotateKeys();
    const published = await (await fetch(`${base}/oidc/jwks`)).json() as { keys: { kid: string }[] };
    const kids = published.keys.map((key) => key.kid);
    assert.ok(!kids.includes(oldKid!), 'the expired key is gone');
    assert.ok(kids.includes(newKid!), 'the previous key is still published');
  });
});
