// Changing a contact in Chromium (issue 12): from "Modifica" in the personal area to the new
// address, the code sent there (a wrong one first, then a new code), and back to the area with
// the new email verified; on a 360 px screen without JavaScript. A mobile change in English
// with JavaScript on, on a wide screen. Every page visited is checked by axe (helpers/browser.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { activateCitizen, mailbox, startTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchBrowser, screenshotDir, serveForBrowser } from '../helpers/browser.ts';
import { latestCode } from '../helpers/first-access.ts';

const skip = browserSkipReason();
const mario = { codiceFiscale: 'RSSMRA85T10A562S', firstName: 'Mario', lastName: 'Rossi', email: 'mario@example.it', mobile: '3331234567',
  password: 'Tramonto-Viola!Sul-Po7' };

describe('contact change in a browser', { skip }, () => {
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

  async function signedIn(options: { width: number; javaScript: boolean; lang: 'it' | 'en' }): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: options.width, height: 800 }, javaScriptEnabled: options.javaScript, locale: options.lang });
    const page = await context.newPage();
    await page.goto(`${base}/signin?lang=it`);
    await page.getByLabel('Codice fiscale', { exact: true }).fill(mario.codiceFiscale);
    await page.getByLabel('Password', { exact: true }).fill(mario.password);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/area`);
    if (options.lang !== 'it') await page.goto(`${base}/area?lang=${options.lang}`);
    return page;
  }

  async function fits(page: Page, name: string, width = 360): Promise<void> {
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `${name} is ${scrollWidth}px wide`);
    await page.screenshot({ path: `${screenshotDir}/${name}-${width}.png`, fullPage: true });
  }

  test('without JavaScript at 360 px: a new email through its code, verified in the area, the old address told', async () => {
    const page = await signedIn({ width: 360, javaScript: false, lang: 'it' });
    await page.getByRole('link', { name: 'Modifica Email' }).click();
    await page.waitForURL(`${base}/area/contacts/email`);
    assert.equal(await page.locator('h1').innerText(), 'Cambia l’indirizzo email');
    assert.match(await page.locator('main').innerText(), /Ora è registrato: mario@example\.it/);
    await fits(page, 'contacts-email');

    // A typing mistake first: the error summary leads to the field.
    await page.getByLabel('Nuovo indirizzo email').fill('mario.nuovo@example');
    await page.getByRole('button', { name: 'Mandami il codice' }).click();
    await page.locator('.varco-error-summary').waitFor();
    assert.match(await page.locator('#field-email-error').innerText(), /non sembra un indirizzo email/);
    assert.equal(await page.getByLabel('Nuovo indirizzo email').inputValue(), 'mario.nuovo@example', 'what was typed is kept');

    await page.getByLabel('Nuovo indirizzo email').fill('mario.nuovo@example.it');
    await page.getByRole('button', { name: 'Mandami il codice' }).click();
    await page.waitForURL(`${base}/area/contacts/email/code`);
    const main = () => page.locator('main').innerText();
    assert.match(await main(), /Abbiamo mandato un codice di 6 cifre a mario\.nuovo@example\.it/);
    assert.match(await main(), /Tentativi a disposizione: 5/);
    await fits(page, 'contacts-code');

    const first = await latestCode(t.app, 'mario.nuovo@example.it');
    await page.getByLabel('Codice ricevuto').fill(first === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Conferma il nuovo recapito' }).click();
    await page.locator('.varco-error-summary').waitFor();
    assert.match(await page.locator('.varco-error-summary').innerText(), /Il codice non è giusto\. Tentativi rimasti: 4\./);
    assert.equal(await page.getByLabel('Codice ricevuto').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Codice ricevuto').inputValue(), '', 'a code is never typed back in');
    await fits(page, 'contacts-code-wrong');

    await page.getByRole('button', { name: 'Mandami un nuovo codice' }).click();
    await page.waitForURL(`${base}/area/contacts/email/code?sent=again`);
    assert.match(await page.getByRole('status').first().innerText(), /Ti abbiamo mandato un nuovo codice/);
    assert.match(await main(), /Tentativi a disposizione: 4/, 'a new code keeps the attempts spent');

    await page.getByLabel('Codice ricevuto').fill(await latestCode(t.app, 'mario.nuovo@example.it'));
    await page.getByRole('button', { name: 'Conferma il nuovo recapito' }).click();
    await page.waitForURL(`${base}/area?contact=email`);
    assert.match(await page.getByRole('status').first().innerText(), /la nuova email è registrata e verificata/);
    const emailRow = page.locator('#contacts-heading + dl > div', { hasText: 'mario.nuovo@example.it' });
    assert.equal(await emailRow.count(), 1);
    assert.match(await emailRow.innerText(), /verificato/);
    assert.doesNotMatch(await page.locator('main').innerText(), /mario@example\.it/, 'the old address is gone from the area');
    await fits(page, 'contacts-area-done');
    const notice = (await mailbox(t.app, mario.email)).filter((m) => m.kind === 'contact_changed');
    assert.equal(notice.length, 1, 'the old address is told');
    assert.match(notice[0]!.text, /wasnt-me/);
    await page.context().close();
  });

  test('with JavaScript, in English, wide: a new mobile by text message', async () => {
    const page = await signedIn({ width: 1280, javaScript: true, lang: 'en' });
    await page.getByRole('link', { name: 'Change Mobile', exact: true }).click();
    await page.waitForURL(`${base}/area/contacts/mobile`);
    await page.getByLabel('New mobile number').fill('347 000 1111');
    await page.getByRole('button', { name: 'Send me the code' }).click();
    await page.waitForURL(`${base}/area/contacts/mobile/code`);
    assert.match(await page.locator('main').innerText(), /We sent a 6-digit code to \+393470001111/);
    await page.getByLabel('Code received').fill(await latestCode(t.app, '+393470001111'));
    await page.getByRole('button', { name: 'Confirm the new contact' }).click();
    await page.waitForURL(`${base}/area?contact=mobile`);
    assert.match(await page.getByRole('status').first().innerText(), /new mobile number is registered and verified/);
    assert.match(await page.locator('#contacts-heading + dl').innerText(), /\+393470001111\s*verified/);
    await page.context().close();
  });
});
