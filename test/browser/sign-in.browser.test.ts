// A citizen signs in through the real pages in Chromium, without JavaScript, on a phone-sized
// screen; a counter-registered citizen is made to change the temporary password first.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { activateCitizen, registerCitizen, startTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchBrowser, screenshotDir, serveForBrowser } from '../helpers/browser.ts';

const skip = browserSkipReason();
const strong = 'Tramonto-Viola!Sul-Po7';

describe('sign-in pages in a browser', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await startTestApp();
    base = await serveForBrowser(t.app);
    browser = await launchBrowser();
    await activateCitizen(t.app, { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'Mario', lastName: 'Rossi', email: 'mario@example.it', password: strong });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function phonePage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'it-IT' });
    return context.newPage();
  }

  /** From the given sign-in page, with the counter's temporary password, through its forced change. */
  async function signInAndChangeTemporaryPassword(page: Page, signInPath: string, codiceFiscale: string): Promise<void> {
    await page.goto(`${base}${signInPath}`);
    await page.getByLabel('Codice fiscale', { exact: true }).fill(codiceFiscale);
    await page.getByLabel('Password', { exact: true }).fill('Provvisoria-2026');
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/area/password`);
    await page.getByLabel('Password attuale').fill('Provvisoria-2026');
    await page.getByLabel('Nuova password', { exact: true }).fill('Girasole#Lago-Blu42');
    await page.getByLabel('Ripeti la nuova password').fill('Girasole#Lago-Blu42');
    await page.getByRole('button', { name: 'Salva la nuova password' }).click();
  }

  async function fitsTheScreen(page: Page): Promise<void> {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `page is ${width}px wide on a 360px screen`);
  }

  test('sign in with codice fiscale and password and see the personal area', async () => {
    const page = await phonePage();
    await page.goto(`${base}/signin`);
    assert.equal(await page.locator('h1').innerText(), 'Accedi ai servizi');
    await page.getByLabel('Codice fiscale', { exact: true }).fill('rssmra85t10a562s');
    await page.getByLabel('Password', { exact: true }).fill(strong);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/area`);
    assert.equal(await page.locator('h1').innerText(), 'Area personale');
    assert.match(await page.locator('main').innerText(), /Mario Rossi/);
    await page.screenshot({ path: `${screenshotDir}/personal-area-360.png`, fullPage: true });
    await page.getByRole('button', { name: 'Esci' }).click();
    await page.waitForURL(/\/signin\?signedOut=1/);
    await page.context().close();
  });

  test('a wrong password shows the error on the page, in the chosen language', async () => {
    const page = await phonePage();
    await page.goto(`${base}/signin?lang=en`);
    await page.getByLabel('Codice fiscale (tax code)').fill('RSSMRA85T10A562S');
    await page.getByLabel('Password', { exact: true }).fill('Wrong-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.getByRole('alert').first().innerText(), /Wrong codice fiscale or credentials/);
    await fitsTheScreen(page);
    await page.screenshot({ path: `${screenshotDir}/sign-in-error-360.png`, fullPage: true });
    await page.context().close();
  });

  test('a temporary password leads straight to the forced change, then to the area', async () => {
    await registerCitizen(t.app, { codiceFiscale: 'MRTMTT91D08F205J', firstName: 'Matteo', lastName: 'Moretti', temporaryPassword: 'Provvisoria-2026' });
    const page = await phonePage();
    await signInAndChangeTemporaryPassword(page, '/signin', 'MRTMTT91D08F205J');
    await page.waitForURL(`${base}/area?password=changed`);
    assert.match(await page.getByRole('status').first().innerText(), /Password cambiata/);
    assert.equal(await page.locator('h1').innerText(), 'Area personale');
    await fitsTheScreen(page);
    await page.context().close();
  });

  test('sign-in through /signin?next=… with a temporary password: the change, then next', async () => {
    await registerCitizen(t.app, { codiceFiscale: 'FRRLCU80A41L219G', firstName: 'Lucia', lastName: 'Ferrari', temporaryPassword: 'Provvisoria-2026' });
    const page = await phonePage();
    await signInAndChangeTemporaryPassword(page, `/signin?next=${encodeURIComponent('/area/pin/change')}`, 'FRRLCU80A41L219G');
    await page.waitForURL(`${base}/area/pin/change`);
    assert.equal(await page.locator('h1').innerText(), 'Il tuo nuovo PIN');
    await page.screenshot({ path: `${screenshotDir}/sign-in-next-after-change-360.png`, fullPage: true });
    await page.context().close();
  });

  test('a foreign next is ignored: the sign-in lands in the personal area', async () => {
    const page = await phonePage();
    await page.goto(`${base}/signin?next=${encodeURIComponent('//evil.example/area')}`);
    await page.getByLabel('Codice fiscale', { exact: true }).fill('RSSMRA85T10A562S');
    await page.getByLabel('Password', { exact: true }).fill(strong);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/area`);
    await page.context().close();
  });
});
