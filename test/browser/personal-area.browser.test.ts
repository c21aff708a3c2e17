// The personal area in Chromium without JavaScript: a session ended from another browser.
// Two browser contexts are two devices; the one that ends the other's session finds it in
// its "Accessi attivi" list, and the ended one is signed out at its next request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { activateCitizen, startTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchBrowser, screenshotDir, serveForBrowser } from '../helpers/browser.ts';

const skip = browserSkipReason();
const mario = { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'Mario', lastName: 'Rossi', email: 'mario@example.it', password: 'Tramonto-Viola!Sul-Po7' };
const phoneAgent = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const laptopAgent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

describe('personal area in a browser', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await startTestApp();
    base = await serveForBrowser(t.app);
    browser = await launchBrowser();
    await activateCitizen(t.app, mario);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function device(userAgent: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'it-IT', userAgent });
    return context.newPage();
  }

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${base}/signin`);
    await page.getByLabel('Codice fiscale', { exact: true }).fill(mario.codiceFiscale);
    await page.getByLabel('Password', { exact: true }).fill(mario.password);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/area`);
  }

  test('a session ended from another browser is signed out at its next request', async () => {
    const phone = await device(phoneAgent);
    const laptop = await device(laptopAgent);
    await signIn(phone);
    await signIn(laptop);

    // The area tells the laptop about the two devices and leads to the list.
    assert.match(await laptop.locator('main').innerText(), /Hai \d+ accessi attivi, compreso questo/);
    assert.match(await laptop.locator('main').innerText(), /Non ti chiederemo mai la password o il PIN/);
    await laptop.getByRole('link', { name: 'Accessi attivi' }).click();
    await laptop.waitForURL(`${base}/area/sessions`);
    const current = laptop.locator('li[data-session]').first();
    assert.match(await current.innerText(), /Firefox su Windows/);
    assert.match(await current.innerText(), /Questo dispositivo/);
    assert.match(await current.innerText(), /rete locale/);
    const phoneCard = laptop.locator('li[data-session]', { hasText: 'Chrome su Android' });
    assert.equal(await phoneCard.count(), 1);
    assert.match(await phoneCard.innerText(), /Ultimo uso/);
    const width = await laptop.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `sessions page is ${width}px wide`);
    await laptop.screenshot({ path: `${screenshotDir}/area-sessions-360.png`, fullPage: true });

    await phoneCard.getByRole('button', { name: /Chiudi questo accesso/ }).click();
    await laptop.waitForURL(`${base}/area/sessions?ended=1`);
    assert.match(await laptop.getByRole('status').first().innerText(), /Accesso chiuso/);
    assert.equal(await laptop.locator('li[data-session]', { hasText: 'Chrome su Android' }).count(), 0);

    // The phone, at its next request, is signed out; the laptop is not.
    await phone.goto(`${base}/area`);
    await phone.waitForURL(/\/signin/);
    assert.equal(await phone.locator('h1').innerText(), 'Accedi ai servizi');
    await laptop.goto(`${base}/area`);
    assert.equal(laptop.url(), `${base}/area`);
    await phone.context().close();
    await laptop.context().close();
  });

  test('"end every other session" from the list leaves only this device', async () => {
    const first = await device(phoneAgent);
    const second = await device(phoneAgent);
    const mine = await device(laptopAgent);
    for (const page of [first, second, mine]) await signIn(page);
    await mine.goto(`${base}/area/sessions`);
    await mine.getByRole('button', { name: 'Chiudi tutti gli altri accessi' }).click();
    await mine.waitForURL(`${base}/area/sessions?ended=others`);
    assert.equal(await mine.locator('li[data-session]').count(), 1);
    for (const page of [first, second]) {
      await page.goto(`${base}/area`);
      await page.waitForURL(/\/signin/);
    }
    for (const page of [first, second, mine]) await page.context().close();
  });
});
