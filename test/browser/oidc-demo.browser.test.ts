// The demo service signs citizens in through Varco in Chromium (no JavaScript on Varco's
// pages): PKCE and claims, acr for password and for PIN, a locked account refused inside
// the journey, a temporary password changed inside it, consent remembered and revoked from
// the personal area, key rotation (a token signed by the old key still accepted as the
// logout hint, new tokens on the new key), and sign-out through Varco's end_session.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildDemoApp, type DemoOptions } from '../../demo-service/demo.app.ts';
import { oidcServiceFor } from '../../src/flows/oidc/oidc.service.ts';
import { activateCitizen, registerCitizen, startTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchBrowser, screenshotDir } from '../helpers/browser.ts';
import { registerService, serveOidc } from '../helpers/oidc.ts';
import { citizenWithActivePin, registerPinCitizen } from '../helpers/pin.ts';

const skip = browserSkipReason();
const mario = { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'Mario', lastName: 'Rossi', email: 'mario@example.it', password: 'Tramonto-Viola!Sul-Po7' };
const luigi = { codiceFiscale: 'VRDLGU80A01F205T', firstName: 'Luigi', lastName: 'Verdi', email: 'luigi@example.it', password: 'Nuvola@Rosa-Vento9' };
const giulia = { codiceFiscale: 'BNCGLI90C55H501W', firstName: 'Giulia', lastName: 'Bianchi', email: 'giulia@example.it', password: 'Girasole#Lago-Blu42' };

describe('the demo service signs in through Varco', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let varco: string;
  let demo: FastifyInstance;
  let demoUrl: string;

  before(async () => {
    t = await startTestApp({ LOCKOUT_THRESHOLD: '3' });
    varco = await serveOidc(t);
    const options: DemoOptions = { varcoUrl: varco, publicUrl: '', clientId: '' };
    demo = await buildDemoApp(options);
    await demo.listen({ host: '127.0.0.1', port: 0 });
    const address = demo.server.address();
    demoUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    options.publicUrl = demoUrl;
    options.clientId = (await registerService(t, 'public', [`${demoUrl}/callback`], [`${demoUrl}/signed-out`])).clientId;
    browser = await launchBrowser();
    await activateCitizen(t.app, mario);
    await activateCitizen(t.app, giulia);
    await activateCitizen(t.app, luigi);
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
    await t?.close();
  });

  async function phonePage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'it-IT' });
    return context.newPage();
  }

  /** Varco's sign-in form; the journey must already be on it. */
  async function signInOnVarco(page: Page, codiceFiscale: string, secret: { password?: string; pin?: string }): Promise<void> {
    await page.getByLabel('Codice fiscale', { exact: true }).fill(codiceFiscale);
    if (secret.pin) await page.getByLabel('PIN', { exact: true }).fill(secret.pin);
    else await page.getByLabel('Password', { exact: true }).fill(secret.password ?? '');
    await page.getByRole('button', { name: 'Accedi' }).click();
  }

  /** From the demo to Varco's sign-in (a login flow holding the interaction), sign in, on to consent or back to the service. */
  async function enterDemo(page: Page, codiceFiscale: string, secret: { password?: string; pin?: string }): Promise<void> {
    await page.goto(demoUrl);
    await page.getByRole('link', { name: 'Accedi con Varco' }).click();
    await page.waitForURL(/\/signin\?flow=/);
    if (secret.pin) await page.getByRole('link', { name: 'PIN', exact: true }).click();
    await signInOnVarco(page, codiceFiscale, secret);
    // With consent remembered the journey only passes through the interaction (a continue
    // page that refreshes at once) on its way back: under load the browser was at the service
    // before this wait began, and a wait for the interaction alone never ended.
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/interaction/') || url.href.startsWith(`${demoUrl}/`));
  }

  /**
   * Consent is asked only when not remembered; the interaction page may still be redirecting
   * when it is first seen, so wait for whichever comes: the consent button or the service.
   */
  async function consentIfAskedThenService(page: Page): Promise<void> {
    const consent = page.getByRole('button', { name: 'Autorizza', exact: true });
    await Promise.race([page.waitForURL(`${demoUrl}/`), consent.waitFor({ state: 'visible' })]);
    if (!page.url().startsWith(demoUrl) && (await consent.isVisible())) await consent.click();
    await page.waitForURL(`${demoUrl}/`);
  }

  async function claimOf(page: Page, name: string): Promise<string> {
    return page.locator(`[data-claim="${name}"]`).innerText();
  }

  test('password: consent on Varco\'s page, then the service shows the claims and acr', async () => {
    const page = await phonePage();
    await enterDemo(page, mario.codiceFiscale, { password: mario.password });
    assert.equal(await page.locator('h1').innerText(), 'Autorizza il servizio');
    assert.match(await page.locator('main').innerText(), /Estratto contributivo/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `consent page is ${width}px wide`);
    await page.screenshot({ path: `${screenshotDir}/oidc-consent-360.png`, fullPage: true });
    await page.getByRole('button', { name: 'Autorizza', exact: true }).click();
    await page.waitForURL(`${demoUrl}/`);
    assert.equal(await claimOf(page, 'given_name'), 'Mario');
    assert.equal(await claimOf(page, 'fiscal_number'), 'TINIT-RSSMRA85T10A562S');
    assert.equal(await claimOf(page, 'acr'), 'urn:varco:acr:password');

    // Sign-out through Varco ends both.
    await page.getByRole('button', { name: 'Esci' }).click();
    assert.match(await page.locator('main').innerText(), /Vuoi uscire da Varco\?/);
    await page.getByRole('button', { name: 'Sì, esci' }).click();
    await page.waitForURL(`${demoUrl}/signed-out`);
    await page.goto(`${varco}/area`);
    await page.waitForURL(/\/signin/);
    await page.context().close();
  });

  test('PIN: the service receives acr urn:varco:acr:pin', async () => {
    const citizen = await registerPinCitizen(t, 7);
    const pin = await citizenWithActivePin(t, citizen);
    const page = await phonePage();
    await enterDemo(page, citizen.codiceFiscale, { pin });
    await page.getByRole('button', { name: 'Autorizza', exact: true }).click();
    await page.waitForURL(`${demoUrl}/`);
    assert.equal(await claimOf(page, 'acr'), 'urn:varco:acr:pin');
    assert.equal(await claimOf(page, 'amr'), 'pin');
    await page.context().close();
  });

  test('a temporary-password holder changes it inside the journey and comes back to the service', async () => {
    const created = await registerCitizen(t.app, { codiceFiscale: 'MRTMTT91D08F205J', firstName: 'Matteo', lastName: 'Martini', temporaryPassword: 'Provvisoria-2026' });
    assert.equal(created.statusCode, 201, created.body);
    const page = await phonePage();
    await page.goto(demoUrl);
    await page.getByRole('link', { name: 'Accedi con Varco' }).click();
    await page.waitForURL(/\/signin\?flow=/);
    await signInOnVarco(page, 'MRTMTT91D08F205J', { password: 'Provvisoria-2026' });
    await page.waitForURL(/\/area\/password/);
    await page.getByLabel('Password attuale').fill('Provvisoria-2026');
    await page.getByLabel('Nuova password', { exact: true }).fill('Castagno&Neve-Alta58');
    await page.getByLabel('Ripeti la nuova password').fill('Castagno&Neve-Alta58');
    await page.getByRole('button', { name: 'Salva la nuova password' }).click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.getByRole('button', { name: 'Autorizza', exact: true }).click();
    await page.waitForURL(`${demoUrl}/`);
    assert.equal(await claimOf(page, 'given_name'), 'Matteo');
    await page.context().close();
  });

  test('PKCE S256 on every request; consent remembered, revoked from the personal area, then asked again', async () => {
    const page = await phonePage();
    const authorizations: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.url().startsWith(varco) && url.pathname === '/oidc/auth') authorizations.push(url); // not the provider's own /oidc/auth/<uid> resumes
    });
    await enterDemo(page, luigi.codiceFiscale, { password: luigi.password });
    await page.getByRole('button', { name: 'Autorizza', exact: true }).click();
    await page.waitForURL(`${demoUrl}/`);
    assert.equal(await claimOf(page, 'family_name'), 'Verdi');
    const first = authorizations[0];
    assert.ok(first, 'the service asked Varco to authorise');
    assert.equal(first.searchParams.get('code_challenge_method'), 'S256');
    assert.match(first.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.ok(first.searchParams.get('state') && first.searchParams.get('nonce'));
    assert.equal(first.searchParams.get('client_secret'), null);

    // Remembered: signing in to the service again goes straight through, nothing to click.
    await page.goto(`${demoUrl}/login`);
    await page.waitForURL(`${demoUrl}/`, { timeout: 10_000 });
    assert.equal(await claimOf(page, 'given_name'), 'Luigi');
    assert.equal(authorizations.length, 2);
    assert.notEqual(authorizations[1]!.searchParams.get('code_challenge'), first.searchParams.get('code_challenge'), 'a new verifier each time');

    // Revoked in the personal area: the next sign-in asks again.
    await page.goto(`${varco}/area`);
    await page.getByRole('link', { name: 'Servizi autorizzati' }).click();
    await page.waitForURL(`${varco}/area/services`);
    assert.match(await page.locator('main').innerText(), /Estratto contributivo/);
    await page.getByRole('button', { name: /Revoca l’autorizzazione/ }).click();
    assert.match(await page.getByRole('status').first().innerText(), /Autorizzazione revocata/);
    await page.goto(`${demoUrl}/login`);
    await page.waitForURL(/\/oidc\/interaction\//);
    assert.equal(await page.locator('h1').innerText(), 'Autorizza il servizio');
    await page.context().close();
  });

  test('key rotation: the old key\'s ID token still works as the logout hint; new tokens carry the new key', async () => {
    const page = await phonePage();
    await enterDemo(page, mario.codiceFiscale, { password: mario.password });
    await consentIfAskedThenService(page);
    const oldKid = await page.locator('[data-token="kid"]').innerText();
    assert.ok(oldKid);

    await oidcServiceFor(t.deps).rotateKeys();
    // Sign-out sends the ID token signed by the retired key as id_token_hint: still published, still valid.
    await page.getByRole('button', { name: 'Esci' }).click();
    assert.match(await page.locator('main').innerText(), /Vuoi uscire da Varco\?/);
    await page.getByRole('button', { name: 'Sì, esci' }).click();
    await page.waitForURL(`${demoUrl}/signed-out`);

    // The service fetches the new key set by itself and validates tokens signed with the new key.
    await enterDemo(page, mario.codiceFiscale, { password: mario.password });
    await consentIfAskedThenService(page);
    const newKid = await page.locator('[data-token="kid"]').innerText();
    assert.notEqual(newKid, oldKid);
    const published = await (await fetch(`${varco}/oidc/jwks`)).json() as { keys: { kid: string }[] };
    assert.ok(published.keys.some((key) => key.kid === oldKid), 'the old key stays published until its tokens expire');
    await page.context().close();
  });

  test('a locked account is refused inside the journey and never reaches the service', async () => {
    const page = await phonePage();
    await page.goto(demoUrl);
    await page.getByRole('link', { name: 'Accedi con Varco' }).click();
    await page.waitForURL(/\/signin\?flow=/);
    for (let i = 0; i < 3; i++) await signInOnVarco(page, giulia.codiceFiscale, { password: 'Sbagliata-Davvero-1!' });
    await signInOnVarco(page, giulia.codiceFiscale, { password: giulia.password });
    assert.match(await page.getByRole('alert').first().innerText(), /bloccat/i);
    assert.ok(page.url().startsWith(varco), 'still on Varco');
    await page.goto(`${demoUrl}/login`);
    await page.waitForURL(/\/signin\?flow=/);
    await page.context().close();
  });
});
