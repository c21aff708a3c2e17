// The whole first access of an enrolled worker in Chromium on a 360 px screen without
// JavaScript (issue 12, seed 004): from the enrolment notice to the assistance form with a
// document, the confirmation link, the desk's temporary password, the forced change, then
// email, security question and mobile, and the personal area with both contacts verified.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { mailbox, startTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchBrowser, screenshotDir, serveForBrowser } from '../helpers/browser.ts';
import { png } from '../helpers/documents.ts';
import { enrolWorker, latestCode } from '../helpers/first-access.ts';
import { createOperator } from '../helpers/operator.ts';
import { workerCodiceFiscale } from '../helpers/workers.ts';

const skip = browserSkipReason();
const worker = { codiceFiscale: workerCodiceFiscale(777), email: 'lavoratrice@example.it', mobile: '3405550777' };

describe('first access of an enrolled worker in a browser', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  const local = (link: string) => link.replace(/^https?:\/\/[^/]+/, base);

  before(async () => {
    t = await startTestApp();
    base = await serveForBrowser(t.app);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'it-IT' })).newPage();
    writeFileSync('test-output/documento-lavoratrice.png', png(600, 400));
    await enrolWorker(t.app, worker);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function fitsTheScreen(name: string): Promise<void> {
    await page.screenshot({ path: `${screenshotDir}/${name}-360.png`, fullPage: true });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 360, `${name} fits 360 px`);
  }

  async function enterCode(to: string): Promise<void> {
    await page.getByRole('button', { name: 'Inviami il codice' }).click();
    await page.getByLabel('Codice di verifica').fill(await latestCode(t.app, to));
    await page.getByRole('button', { name: 'Conferma' }).click();
  }

  test('from the notice to the personal area', async () => {
    const notice = (await mailbox(t.app, worker.email)).find((m) => m.kind === 'enrolment_notice');
    const link = /(https?:\/\/\S+\/assistance)\b/.exec(notice?.text ?? '')?.[1];
    assert.ok(link, 'the notice links the assistance form');
    await page.goto(local(link));
    await page.getByLabel('Codice fiscale', { exact: true }).fill(worker.codiceFiscale);
    await page.getByLabel('Email a cui scriverti').fill(worker.email);
    await page.getByLabel('Di cosa hai bisogno?').selectOption('first_access');
    await page.getByLabel('Descrivi il problema').fill('Sono stata iscritta dalla mia amministrazione: primo accesso.');
    await page.getByLabel('Documento d’identità (PDF, JPEG o PNG, al massimo 5 MB)').setInputFiles('test-output/documento-lavoratrice.png');
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    const confirmMail = (await mailbox(t.app, worker.email)).filter((m) => m.kind === 'assistance_confirm').at(-1);
    await page.goto(local(/(https?:\/\/\S+\/assistance\/confirm\/\S+)/.exec(confirmMail?.text ?? '')![1]!));
    await page.getByRole('button', { name: 'Confermo la richiesta' }).click();

    const operator = { authorization: `Bearer ${await createOperator(t.app)}` };
    const queue = await t.app.inject({ method: 'GET', url: '/api/v1/desk/requests?status=confirmed', headers: operator });
    const request = (queue.json().requests as { id: string }[])[0]!;
    await t.app.inject({ method: 'POST', url: `/api/v1/desk/requests/${request.id}/resolve`, headers: operator,
      payload: { outcome: 'temporary_password', identityVerified: true, note: 'documento conforme' } });
    const temporary = /:\n(\S+)\n/.exec((await mailbox(t.app, worker.email)).filter((m) => m.kind === 'temporary_password').at(-1)?.text ?? '')?.[1];
    assert.ok(temporary);

    await page.goto(`${base}/signin`);
    await page.getByLabel('Codice fiscale', { exact: true }).fill(worker.codiceFiscale);
    await page.getByLabel('Password', { exact: true }).fill(temporary);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/area/password`);
    await page.getByLabel('Password attuale').fill(temporary);
    await page.getByLabel('Nuova password', { exact: true }).fill('Girasole#Lago-Blu42');
    await page.getByLabel('Ripeti la nuova password').fill('Girasole#Lago-Blu42');
    await page.getByRole('button', { name: 'Salva la nuova password' }).click();

    await page.waitForURL(`${base}/area/email/verify`, { timeout: 5000 }).catch(async () => { throw new Error(`${page.url()}: ${await page.locator('main').innerText()}`); });
    assert.match(await page.locator('main').innerText(), /passo 1 di 3/);
    await fitsTheScreen('first-access-email');
    await page.goto(`${base}/area`);
    assert.equal(new URL(page.url()).pathname, '/area/email/verify', 'the area waits for the steps');
    await enterCode(worker.email);

    await page.waitForURL(`${base}/area/security-question`);
    await fitsTheScreen('first-access-security-question');
    await page.getByLabel('Domanda').fill('Come si chiamava la mia prima maestra?');
    await page.getByLabel('Risposta').fill('Lucìa Bianchi');
    await page.getByRole('button', { name: 'Salva la domanda segreta' }).click();

    await page.waitForURL(`${base}/area/mobile/verify`);
    await enterCode('+393405550777');
    await page.waitForURL(`${base}/area`);
    const area = await page.locator('main').innerText();
    assert.match(area, /Benvenuto, Nicolò D'Angelo/);
    // The contacts' badges (the area's other texts may say "verificato" too).
    assert.deepEqual(await page.locator('main .badge').filter({ hasText: /verific/ }).allInnerTexts(), ['verificato', 'verificato'], 'email and mobile verified');
    await fitsTheScreen('first-access-area');
  });
});
