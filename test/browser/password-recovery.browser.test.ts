// A citizen who forgot the password recovers it in Chromium, by email and by SMS, on a
// phone-sized screen without JavaScript, and signs in with the new one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { activateCitizen, mailbox, startTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchBrowser, screenshotDir, serveForBrowser } from '../helpers/browser.ts';

const skip = browserSkipReason();
const cf = 'RSSMRA85T10A562S';
const email = 'mario@example.it';
const mobile = '+393331234567';

describe('password recovery in a browser', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '20' });
    base = await serveForBrowser(t.app);
    browser = await launchBrowser();
    await activateCitizen(t.app, { codiceFiscale: cf, firstName: 'Mario', lastName: 'Rossi', email, mobile, password: 'Tramonto-Viola!Sul-Po7' });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function phonePage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'it-IT' });
    return context.newPage();
  }

  async function requestRecovery(page: Page, channel: 'email' | 'sms'): Promise<void> {
    await page.goto(`${base}/signin`);
    await page.getByRole('link', { name: 'Password dimenticata?' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Recupera la password');
    await page.getByLabel('Codice fiscale', { exact: true }).fill(cf);
    if (channel === 'email') {
      await page.locator('label[for=channel-email]').click(); // Bootstrap Italia draws the radio on its label
      await page.getByLabel('Email registrata (se hai scelto l’email)').fill(email);
    } else {
      await page.locator('label[for=channel-sms]').click();
      await page.getByLabel('Cellulare registrato (se hai scelto l’SMS)').fill('333 123 4567');
    }
    await page.screenshot({ path: `${screenshotDir}/recovery-start-${channel}-360.png`, fullPage: true });
    await page.getByRole('button', { name: 'Continua' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Controlla i tuoi messaggi');
  }

  async function chooseNewPassword(page: Page, password: string, shot: string): Promise<void> {
    assert.equal(await page.locator('h1').innerText(), 'Scegli la nuova password');
    assert.equal(await page.locator('input[name=token]').count(), 1, 'the token rides in the form');
    await page.getByLabel('Nuova password', { exact: true }).fill(password);
    await page.screenshot({ path: `${screenshotDir}/${shot.replace('done', 'new-password')}`, fullPage: true });
    await page.getByLabel('Ripeti la nuova password').fill(password);
    await page.getByRole('button', { name: 'Salva la nuova password' }).click();
    await page.waitForURL(`${base}/recovery/password/done`);
    assert.equal(await page.locator('h1').innerText(), 'Password aggiornata');
    await page.screenshot({ path: `${screenshotDir}/${shot}`, fullPage: true });
    await page.getByRole('link', { name: 'Vai all’accesso' }).click();
    await page.getByLabel('Codice fiscale', { exact: true }).fill(cf);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/area`);
    assert.equal(await page.locator('h1').innerText(), 'Area personale');
  }

  test('by email: the link opens the new password form; then sign in', async () => {
    const page = await phonePage();
    await requestRecovery(page, 'email');
    const mail = (await mailbox(t.app, email)).filter((m) => m.kind === 'password_reset_link').at(-1);
    const link = /https?:\/\/\S+\/recovery\/password\/\S+/.exec(mail?.text ?? '')?.[0];
    assert.ok(link, 'the email holds the link');
    await page.goto(link.replace(/^https?:\/\/[^/]+/, base));
    await chooseNewPassword(page, 'Girasole#Lago-Blu42', 'recovery-email-done-360.png');
    await page.context().close();
  });

  test('by SMS: the code leads to the new password form; then sign in', async () => {
    const page = await phonePage();
    await requestRecovery(page, 'sms');
    const sms = (await mailbox(t.app, mobile)).filter((m) => m.kind === 'password_reset_code').at(-1);
    const code = /\b\d{6}\b/.exec(sms?.text ?? '')?.[0];
    assert.ok(code, 'the SMS holds the code');
    await page.getByLabel('Codice ricevuto via SMS').fill(code);
    await page.screenshot({ path: `${screenshotDir}/recovery-sms-code-360.png`, fullPage: true });
    await page.getByRole('button', { name: 'Verifica il codice' }).click();
    await chooseNewPassword(page, 'Nuvola@Rosa-Vento9', 'recovery-sms-done-360.png');
    await page.context().close();
  });

  test('a used link shows a plain page offering to start again', async () => {
    const page = await phonePage();
    const mail = (await mailbox(t.app, email)).filter((m) => m.kind === 'password_reset_link').at(-1);
    const link = /https?:\/\/\S+\/recovery\/password\/\S+/.exec(mail?.text ?? '')![0];
    const response = await page.goto(link.replace(/^https?:\/\/[^/]+/, base));
    assert.equal(response?.status(), 410);
    assert.equal(await page.locator('h1').innerText(), 'Collegamento non utilizzabile');
    assert.ok(await page.getByRole('link', { name: 'Ricomincia il recupero' }).isVisible());
    await page.context().close();
  });
});
