// Issue 15: every page of the README, in it, en and ro, at 360 and 1280 px, has zero WCAG 2.1
// AA violations (axe-core), a header that is neither cut nor covered and forms whose labels,
// legends, fields and messages never overprint one another (the captcha and /assistance
// defects); the captcha is on, as in production. Screenshots of the main pages are kept.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { activateCitizen, adminToken, mailbox, startTestApp, type TestApp } from '../helpers/app.ts';
import { axeViolations, auditWidths, describeViolations, type AxeViolation } from '../helpers/axe.ts';
import { browserSkipReason, launchBrowser, screenshotDir, serveForBrowser } from '../helpers/browser.ts';
import { png } from '../helpers/documents.ts';
import { layoutProblems } from '../helpers/layout.ts';
import { multipart } from '../helpers/multipart.ts';

const skip = browserSkipReason();
const cf = 'RSSMRA85T10A562S';
const password = 'Tramonto-Viola!Sul-Po7';
const operatorCf = 'VRDLGU80A01F205T';
const operatorPassword = 'Sportello#Aperto-2026';
const languages = ['it', 'en', 'ro'] as const;

describe('every page, every language, both widths', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let officeId: string;
  let requestId: string;

  before(async () => {
    t = await startTestApp({ CAPTCHA: 'on', ADMINISTRATION_NAME: 'Comune di Prova', ADMINISTRATION_URL: 'https://www.comune.prova.it' });
    base = await serveForBrowser(t.app);
    browser = await launchBrowser({ audit: false }); // this suite runs axe itself, page by page
    await activateCitizen(t.app, { codiceFiscale: cf, firstName: 'Mario', lastName: 'Rossi', email: 'mario@example.it', mobile: '+393331234567', password });
    const operator = await t.app.inject({ method: 'POST', url: '/api/v1/admin/operators', headers: { authorization: `Bearer ${adminToken}` },
      payload: { codiceFiscale: operatorCf, firstName: 'Luigi', lastName: 'Verdi', email: 'operatore@example.it', password: operatorPassword } });
    assert.equal(operator.statusCode, 201, operator.body);
    const office = await t.app.inject({ method: 'POST', url: '/api/v1/admin/offices', headers: { authorization: `Bearer ${adminToken}` },
      payload: { name: 'Sede di Roma', address: 'Via Roma 1', opensAt: '09:00', closesAt: '11:00', slotMinutes: 30 } });
    officeId = office.json().id;
    const captcha = (await t.app.inject({ method: 'GET', url: '/api/v1/captcha' })).json() as { challenge: string; question: string };
    const words = ['zero', 'uno', 'due', 'tre', 'quattro', 'cinque', 'sei', 'sette', 'otto', 'nove', 'dieci'];
    const [, a, b] = /Quanto fa (\S+) più (\S+)\?/.exec(captcha.question)!;
    const answer = String(words.indexOf(a!) + words.indexOf(b!));
    const body = multipart({ codiceFiscale: cf, email: 'mario@example.it', category: 'password_reset', message: 'Ho perso il telefono.', captcha: `${captcha.challenge}:${answer}` },
      { name: 'document', filename: 'carta.png', type: 'image/png', bytes: png(300, 200) });
    const submitted = await t.app.inject({ method: 'POST', url: '/api/v1/assistance/requests', ...body });
    assert.equal(submitted.statusCode, 202, submitted.body);
    requestId = submitted.json().requestId;
    const link = (await mailbox(t.app, 'mario@example.it')).find((m) => m.kind === 'assistance_confirm')!.text;
    const token = /\/assistance\/confirm\/([A-Za-z0-9_-]+)/.exec(link)![1]!;
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/assistance/confirm', payload: { token } })).statusCode, 200);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function context(lang: string, as: 'visitor' | 'citizen' | 'operator'): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: lang });
    const page = await ctx.newPage();
    if (as === 'citizen') {
      await page.goto(`${base}/signin?lang=it`);
      await page.getByLabel('Codice fiscale', { exact: true }).fill(cf);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Accedi' }).click();
      await page.waitForURL(`${base}/area`);
    } else if (as === 'operator') {
      await page.goto(`${base}/desk/signin?lang=it`);
      await page.getByLabel('Codice fiscale', { exact: true }).fill(operatorCf);
      await page.getByLabel('Password', { exact: true }).fill(operatorPassword);
      await page.getByRole('button', { name: 'Accedi' }).click();
      await page.waitForURL(`${base}/desk`);
    }
    await page.close();
    return ctx;
  }

  const visitorPages = ['/signin', '/recovery/password', '/recovery/pin', '/recovery/pin/confirm', '/assistance', '/appointments',
    '/note-legali', '/privacy', '/dichiarazione-accessibilita', '/desk/signin', '/dev/outbox'];
  const citizenPages = ['/area', '/area/password', '/area/pin/change', '/area/services'];
  const deskPages = () => ['/desk', `/desk/requests/${requestId}`];
  const shots: Record<string, string> = { '/signin': 'signin', '/recovery/password': 'recovery', '/recovery/pin': 'pin-recovery', '/area/pin/change': 'pin-change',
    '/assistance': 'assistance', '/desk': 'desk-queue', '/appointments?office': 'appointments' };

  for (const lang of languages) {
    test(`${lang}: zero axe violations, header whole, forms not overprinted, at ${auditWidths.join(' and ')} px`, async () => {
      const found: { url: string; width: number; violations: AxeViolation[] }[] = [];
      const layout: string[] = [];
      const groups: [BrowserContext, string[]][] = [
        [await context(lang, 'visitor'), [...visitorPages, `/appointments?office=${officeId}&date=2026-11-30`]],
        [await context(lang, 'citizen'), citizenPages],
        [await context(lang, 'operator'), [...deskPages(), `/desk/requests/${requestId}`]],
      ];
      for (const [ctx, paths] of groups) {
        const page = await ctx.newPage();
        for (const path of paths) {
          const url = `${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
          const response = await page.goto(url);
          assert.ok(response && response.status() < 400, `${path}: ${response?.status()}`);
          assert.equal(page.url(), url, `${path} shows itself, not a redirect`);
          const snapshot = { url, html: await response.text() };
          assert.doesNotMatch(snapshot.html, /\b(?:common|signIn|assistance|desk|appointments|recovery|pin|area|footer|legal)\.[a-zA-Z.]+\b(?![^<]*>)/, `${path}: a raw message key`);
          for (const width of auditWidths) {
            found.push({ url: path, width, violations: await axeViolations(browser, snapshot, width) });
            layout.push(...(await layoutProblems(browser, snapshot, width)).map((p) => `${path} at ${width}px: ${p}`));
          }
          const shot = Object.entries(shots).find(([prefix]) => path.startsWith(prefix))?.[1];
          if (shot && lang === 'it') {
            for (const width of auditWidths) {
              await page.setViewportSize({ width, height: 800 });
              await page.screenshot({ path: `${screenshotDir}/${shot}-${width}.png`, fullPage: true });
            }
            await page.setViewportSize({ width: 360, height: 740 });
          }
        }
        await ctx.close();
      }
      assert.ok(found.length >= 2 * 18, `${found.length} page checks`);
      assert.equal(describeViolations(found), '', 'WCAG 2.1 AA violations');
      assert.deepEqual(layout, [], 'layout problems');
    });
  }

  test('the checks can fail: a low-contrast text, an unlabelled field and an overprinting label are reported', async () => {
    const html = `<!doctype html><html lang="it"><head><title>x</title><link rel="stylesheet" href="/static/bootstrap-italia/css/bootstrap-italia.min.css"></head>
      <body><main><h1>x</h1><p style="color:#999;background:#fff">poco contrasto</p><input type="text" name="x">
      <fieldset><legend>Domanda</legend><div class="form-group"><label for="q" class="active">Quanto fa 2+2?</label><input id="q" class="form-control"></div></fieldset></main></body></html>`;
    const violations = await axeViolations(browser, { url: `${base}/x`, html }, 360);
    assert.ok(violations.some((v) => v.id === 'color-contrast'), JSON.stringify(violations.map((v) => v.id)));
    assert.ok(violations.some((v) => v.id === 'label'));
    const problems = await layoutProblems(browser, { url: `${base}/x`, html }, 360);
    assert.ok(problems.some((p) => p.includes('overlaps')), JSON.stringify(problems));
  });
});
