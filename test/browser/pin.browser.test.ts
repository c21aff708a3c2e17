// The PIN journey in Chromium on a phone-sized screen without JavaScript: sign in on the PIN
// tab with the two halves, complete the first access, sign in again with the 8-character PIN.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { mailbox, registerCitizen, startTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchBrowser, screenshotDir, serveForBrowser } from '../helpers/browser.ts';
import { createOperator } from '../helpers/operator.ts';

const skip = browserSkipReason();
const cf = 'BNCGLI90C55H501W';
const email = 'giulia@example.it';
const mobile = '+393471234567';

describe('PIN in a browser', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await startTestApp();
    base = await serveForBrowser(t.app);
    browser = await launchBrowser();
    await registerCitizen(t.app, { codiceFiscale: cf, firstName: 'Giulia', lastName: 'Bianchi', email, mobile, temporaryPassword: 'Provvisoria-2026' });
    const operator = await createOperator(t.app);
    await t.app.inject({ method: 'POST', url: `/api/v1/desk/accounts/${cf}/pin`, headers: { authorization: `Bearer ${operator}` },
      payload: { identityVerified: true, note: 'carta d’identità verificata allo sportello' } });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signInWithPin(page: Page, pin: string): Promise<void> {
    await page.goto(`${base}/signin`);
    await page.getByRole('link', { name: 'PIN', exact: true }).click();
    await page.getByLabel('Codice fiscale', { exact: true }).fill(cf);
    await page.getByLabel('PIN', { exact: true }).fill(pin);
    await page.getByRole('button', { name: 'Accedi' }).click();
  }

  test('first access with the two halves, then the 8-character PIN', async () => {
    const half = (text = '') => /:\n(\S{8})\n/.exec(text)?.[1] ?? '';
    const first = half((await mailbox(t.app, mobile)).find((m) => m.kind === 'pin_first_half')?.text);
    const second = half((await mailbox(t.app, email)).find((m) => m.kind === 'pin_second_half')?.text);
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'it-IT' });
    const page = await context.newPage();
    await signInWithPin(page, first + second);
    await page.waitForURL(`${base}/area/pin/change`);
    assert.match(await page.locator('main').innerText(), /Primo accesso con il PIN/);
    await page.getByRole('button', { name: 'Cambia PIN' }).click();
    const proposed = (await page.locator('.varco-secret').innerText()).trim();
    assert.match(proposed, /^[A-Za-z2-9]{8}$/);
    await page.screenshot({ path: `${screenshotDir}/pin-first-access-360.png`, fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `page is ${width}px wide`);
    await page.getByLabel('PIN attuale').fill(first + second);
    await page.getByLabel('Nuovo PIN (ricopia quello proposto)').fill(proposed);
    await page.getByRole('button', { name: 'Conferma il nuovo PIN' }).click();
    await page.waitForURL(/\/area\?pin=changed/);
    assert.match(await page.getByRole('status').first().innerText(), /Il nuovo PIN è attivo/);
    await page.getByRole('button', { name: 'Esci' }).click();
    await signInWithPin(page, proposed);
    await page.waitForURL(`${base}/area`);
    assert.equal(await page.locator('h1').innerText(), 'Area personale');
    assert.match(await page.locator('main').innerText(), /Il PIN è attivo/);
    await context.close();
  });
});
