// An administration's upload in Chromium without JavaScript on a 360 px screen (issue 12):
// sign-in by token, a CSV of a few thousand workers with bad rows, the status page that
// reloads itself until the job is done, the result, and the rejection report downloaded.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchBrowser, screenshotDir, serveForBrowser } from '../helpers/browser.ts';
import { workerCsv } from '../helpers/workers.ts';

const skip = browserSkipReason();
const rows = 3000;
const file = 'test-output/personale-noipa.csv';

describe('an administration uploads its staff in a browser', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let token: string;

  before(async () => {
    t = await startTestApp();
    base = await serveForBrowser(t.app);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'it-IT', acceptDownloads: true })).newPage();
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/admin/administrations', headers: { authorization: `Bearer ${adminToken}` },
      payload: { code: 'NOIPA', name: 'NoiPA' } });
    token = created.json().apiToken;
    const bad = ['RSSMRA85T10A562X,Luca,Bianchi,luca@example.it,3331112223', 'AAAAAA85T10H501Z,Anna,Verdi,non-una-email,3331112224'];
    writeFileSync(file, [...workerCsv(rows)].join('') + bad.join('\n') + '\n');
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function fitsTheScreen(name: string): Promise<void> {
    await page.screenshot({ path: `${screenshotDir}/${name}-360.png`, fullPage: true });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 360, `${name} fits 360 px`);
  }

  test('sign in → upload → status → result → rejection CSV', async () => {
    await page.goto(`${base}/administration`);
    assert.equal(new URL(page.url()).pathname, '/administration/signin');
    await page.getByLabel('Chiave di accesso dell’amministrazione').fill(token);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/administration`);
    assert.ok(!page.url().includes(token), 'the token never rides in a URL');
    await fitsTheScreen('administration-home');

    await page.getByLabel('File CSV').setInputFiles(file);
    await page.getByRole('button', { name: 'Carica il file' }).click();
    await page.waitForURL(/\/administration\/jobs\/[0-9a-f-]{36}$/);
    const jobUrl = page.url();
    await page.locator('.progress [role="progressbar"]').waitFor(); // the status page has its progress bar (the page may be reloading)
    // No script runs: the page reloads itself (its Refresh header) until the job is done.
    await page.getByText('Elaborazione completata.').waitFor({ timeout: 60_000 });
    assert.equal(page.url(), jobUrl);
    assert.equal(await page.locator('.progress [role="progressbar"]').getAttribute('aria-valuenow'), '100');
    const width = await page.locator('.progress-bar').evaluate((bar) => getComputedStyle(bar).width);
    const track = await page.locator('.progress').evaluate((bar) => getComputedStyle(bar).width);
    assert.equal(width, track, 'the bar is full: its width comes from the stylesheet, not an inline style');
    const main = await page.locator('main').innerText();
    assert.match(main, /Nuove iscrizioni\s+3\.?000/);
    assert.match(main, /Righe scartate\s+2/);
    await fitsTheScreen('administration-job-done');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Scarica le righe scartate (CSV)' }).click()]);
    const report = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.deepEqual(report, [
      'row,code,field,description',
      `${rows + 1},invalid_codice_fiscale,codiceFiscale,Codice fiscale non valido`,
      `${rows + 2},invalid_codice_fiscale,codiceFiscale,Codice fiscale non valido`,
    ]);

    await page.getByRole('link', { name: 'Elenco del personale' }).click();
    assert.match(await page.locator('main').innerText(), /Non ancora effettuato/);
    await fitsTheScreen('administration-workers');
  });
});
