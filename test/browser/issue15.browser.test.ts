// Issue 15 in Chromium, without JavaScript: booking from a shared /appointments?office=…&date=…
// link on a first visit, an assistance request that leaves no token in the address bar, an
// error summary whose links reach their fields, and keyboard-only sign-in and recovery.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { activateCitizen, adminToken, mailbox, startTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchBrowser, serveForBrowser } from '../helpers/browser.ts';
import { png } from '../helpers/documents.ts';

const skip = browserSkipReason();
const cf = 'RSSMRA85T10A562S';
const password = 'Tramonto-Viola!Sul-Po7';

describe('issue 15 in a browser', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let officeId: string;

  before(async () => {
    t = await startTestApp({ RATE_LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: '20' });
    base = await serveForBrowser(t.app);
    browser = await launchBrowser();
    await activateCitizen(t.app, { codiceFiscale: cf, firstName: 'Mario', lastName: 'Rossi', email: 'mario@example.it', mobile: '+393331234567', password });
    const office = await t.app.inject({ method: 'POST', url: '/api/v1/admin/offices', headers: { authorization: `Bearer ${adminToken}` },
      payload: { name: 'Sede di Roma', address: 'Via Roma 1', opensAt: '09:00', closesAt: '11:00', slotMinutes: 30 } });
    officeId = office.json().id;
    writeFileSync('test-output/documento-issue15.png', png(300, 200));
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function freshPage(width = 360): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 740 }, javaScriptEnabled: false, locale: 'it-IT' });
    return context.newPage();
  }

  test('a shared appointments link books on the first visit (the CSRF cookie comes with the page)', async () => {
    const page = await freshPage();
    await page.goto(`${base}/appointments?office=${officeId}&date=2026-11-30`);
    await page.getByLabel('Codice fiscale', { exact: true }).fill(cf);
    await page.getByLabel('Email per la conferma').fill('anna@example.it');
    await page.getByRole('button', { name: 'Prenota' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Appuntamento prenotato');
    assert.match(await page.locator('main').innerText(), /Sede di Roma[\s\S]*lunedì 30 novembre 2026[\s\S]*09:00/);
    await page.context().close();
  });

  test('an empty assistance form: the summary links move to each field; a sent request leaves no token in the address', async () => {
    const page = await freshPage();
    await page.goto(`${base}/assistance`);
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    const summary = page.locator('.varco-error-summary');
    assert.equal(await summary.locator('a').count(), 4, await summary.innerText());
    await summary.getByRole('link', { name: 'Inserisci il tuo codice fiscale.' }).click();
    assert.match(page.url(), /#field-codiceFiscale$/);
    assert.doesNotMatch(page.url(), /_csrf/);
    await page.getByLabel('Codice fiscale', { exact: true }).fill(cf);
    await page.getByLabel('Email a cui scriverti').fill('ritrovata@example.it');
    await page.getByLabel('Descrivi il problema').fill('Ho perso il telefono.');
    await page.getByLabel('Documento d’identità (PDF, JPEG o PNG, al massimo 5 MB)').setInputFiles('test-output/documento-issue15.png');
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.waitForURL(`${base}/assistance/sent`);
    assert.match(await page.getByRole('status').first().innerText(), /Richiesta ricevuta/);
    await page.context().close();
  });

  /** Presses Tab until the element with this id has the focus (read by locator: scripts are off). */
  async function tabTo(page: Page, id: string): Promise<void> {
    for (let presses = 0; presses < 40; presses++) {
      if ((await page.locator(':focus').getAttribute('id', { timeout: 300 }).catch(() => null)) === id) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`#${id} cannot be reached with Tab`);
  }

  test('keyboard only: sign-in, from the skip link to the personal area', async () => {
    const page = await freshPage(1280);
    await page.goto(`${base}/signin`);
    await page.keyboard.press('Tab');
    assert.equal(await page.locator(':focus').innerText(), 'Vai al contenuto principale', 'the skip link comes first');
    await page.keyboard.press('Enter');
    await tabTo(page, 'field-codiceFiscale');
    await page.keyboard.type(cf);
    await tabTo(page, 'field-password');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/area`);
    await page.context().close();
  });

  test('keyboard only: password recovery by email, then the emailed link', async () => {
    const page = await freshPage(360);
    await page.goto(`${base}/recovery/password`);
    await tabTo(page, 'field-codiceFiscale');
    await page.keyboard.type(cf);
    await tabTo(page, 'field-email');
    await page.keyboard.type('mario@example.it');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/recovery\/password\/sent/);
    assert.equal(await page.locator('h1').innerText(), 'Controlla i tuoi messaggi');
    const mail = (await mailbox(t.app, 'mario@example.it')).filter((m) => m.kind === 'password_reset_link').at(-1);
    const link = /https?:\/\/\S+\/recovery\/password\/\S+/.exec(mail?.text ?? '')![0];
    await page.goto(link.replace(/^https?:\/\/[^/]+/, base));
    await tabTo(page, 'field-newPassword');
    await page.keyboard.type('Nuvola@Rosa-Vento9');
    await tabTo(page, 'field-confirmPassword');
    await page.keyboard.type('Nuvola@Rosa-Vento9');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/recovery/password/done`);
    await page.context().close();
  });
});
