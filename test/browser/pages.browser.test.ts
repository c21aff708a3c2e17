// Issue 15: every page of the README, in it, en and ro, at 360 and 1280 px, has zero WCAG 2.1
// AA violations (axe-core), a header that is neither cut nor covered and forms whose labels,
// legends, fields and messages never overprint one another (the captcha and /assistance
// defects); the captcha is on, as in production. Screenshots of the main pages are kept.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { activateCitizen, adminToken, mailbox, registerCitizen, sessionCookieOf, startTestApp, type TestApp } from '../helpers/app.ts';
import { axeViolations, auditWidths, describeViolations, type AxeViolation, type Snapshot } from '../helpers/axe.ts';
import { browserSkipReason, launchBrowser, screenshotDir } from '../helpers/browser.ts';
import { throughTestIdp } from '../helpers/federation.ts';
import { png } from '../helpers/documents.ts';
import { layoutProblems } from '../helpers/layout.ts';
import { multipart } from '../helpers/multipart.ts';

const skip = browserSkipReason();
const cf = 'RSSMRA85T10A562S';
const password = 'Tramonto-Viola!Sul-Po7';
const operatorCf = 'VRDLGU80A01F205T';
const operatorPassword = 'Sportello#Aperto-2026';
const languages = ['it', 'en', 'ro'] as const;

/** The SP must know its public URL before it starts (the test IdP posts back to it), so the port is chosen first. */
async function freePort(): Promise<number> {
  const free = (port: number) => new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  // BROWSER_TEST_PORT narrows the search where ports are shared; otherwise any free port.
  const from = Number(process.env.BROWSER_TEST_PORT ?? 0);
  if (!from) {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(port));
      });
    });
  }
  for (let port = from; port < from + 100; port++) if (await free(port)) return port;
  throw new Error(`no free port from ${from}`);
}

/** A page reached by submitting a form (POST binding, upload): opened by a click, checked as the browser got it. */
interface Submitted { name: string; open: (page: Page) => Promise<{ url: string; html: string }> }
type Visit = string | Submitted;

async function submitTo(page: Page, path: string, click: () => Promise<void>): Promise<{ url: string; html: string }> {
  const [response] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().resourceType() === 'document'), click()]);
  assert.ok(response.status() < 400, `${path}: ${response.status()}`);
  return { url: response.url(), html: await response.text() };
}

describe('every page, every language, both widths', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let officeId: string;
  let requestId: string;
  let administrationToken: string;
  let wasntMePath: string;
  let jobPath: string | undefined;

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({ CAPTCHA: 'on', ADMINISTRATION_NAME: 'Comune di Prova', ADMINISTRATION_URL: 'https://www.comune.prova.it', PORT: String(port), PUBLIC_URL: base });
    await t.app.listen({ host: '127.0.0.1', port });
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
    // The "this wasn't me" link of the notice sent when the first password was replaced (its page changes nothing).
    const notice = (await mailbox(t.app, 'mario@example.it')).find((m) => /\/wasnt-me\//.test(m.text));
    wasntMePath = new URL(/(http\S+\/wasnt-me\/[A-Za-z0-9_-]+)/.exec(notice?.text ?? '')?.[1] ?? `${base}/wasnt-me/none`).pathname;
    assert.notEqual(wasntMePath, '/wasnt-me/none', 'a security notice with its link');
    // A message that could not be delivered, for the citizen file's list.
    await t.deps.db.transaction((tx) => t.deps.outbox.enqueue(tx, { channel: 'email', to: 'mario@example.it', kind: 'credential_changed', language: 'it',
      params: { what: 'password', at: t.clock.now().toISOString(), ip: '203.0.113.9' } }));
    await t.deps.db.query("UPDATE outbox SET status = 'failed', last_error = 'mailbox full' WHERE recipient = 'mario@example.it' AND kind = 'credential_changed' AND status = 'pending'");
    // An identity mismatch for /desk/mismatches: SPID says Giulia, the account says Giuliana.
    assert.equal((await registerCitizen(t.app, { codiceFiscale: 'BNCGLI90C55H501W', firstName: 'Giuliana', lastName: 'Bianchi', temporaryPassword: 'Provvisoria-2026' })).statusCode, 201);
    assert.equal((await throughTestIdp(t.app, t.deps.config, { identity: 'giulia', level: 2 })).acs.statusCode, 200);
    const administration = await t.app.inject({ method: 'POST', url: '/api/v1/admin/administrations', headers: { authorization: `Bearer ${adminToken}` },
      payload: { code: 'NOIPA', name: 'NoiPA' } });
    administrationToken = administration.json().apiToken;
    // A contact change waiting for its code, for the code page.
    const session = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } });
    const change = await t.app.inject({ method: 'PUT', url: '/api/v1/me/contacts', headers: { cookie: sessionCookieOf(session) }, payload: { pec: 'mario@pec.example.it' } });
    assert.equal(change.statusCode, 202, change.body);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function context(lang: string, as: 'visitor' | 'citizen' | 'operator' | 'administration'): Promise<BrowserContext> {
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
    } else if (as === 'administration') {
      await page.goto(`${base}/administration/signin?lang=it`);
      await page.getByLabel('Chiave di accesso dell’amministrazione').fill(administrationToken);
      await page.getByRole('button', { name: 'Accedi' }).click();
      await page.waitForURL(`${base}/administration`);
      if (!jobPath) { // one small upload, for a job status page
        await page.getByLabel('File CSV').setInputFiles({ name: 'personale.csv', mimeType: 'text/csv',
          buffer: Buffer.from('codiceFiscale;nome;cognome;email;cellulare\nMRTMTT91D08F205J;Matteo;Martini;matteo@example.it;3331112223\nNONVALIDO;Anna;Verdi;anna@example.it;3331112224\n') });
        await page.getByRole('button', { name: 'Carica il file' }).click();
        await page.waitForURL(/\/administration\/jobs\/[0-9a-f-]{36}$/);
        jobPath = new URL(page.url()).pathname;
      }
    }
    await page.close();
    return ctx;
  }

  const visitorPages = ['/signin', '/recovery/password', '/recovery/pin', '/recovery/pin/confirm', '/assistance', '/appointments',
    '/note-legali', '/privacy', '/dichiarazione-accessibilita', '/desk/signin', '/administration/signin', '/dev/outbox', '/dev/idp/logout'];
  // "Entra con SPID" → the POST-binding page → the test IdP's page → its answer (POST binding back to the ACS).
  const federationPages = (): Visit[] => {
    const login = `/auth/spid/login?idp=${encodeURIComponent(`${base}/dev/idp`)}&purpose=recovery`;
    return [login,
      { name: '/dev/idp/sso', open: (page) => submitTo(page, '/dev/idp/sso', () => page.locator('main form button[type=submit]').first().click()) },
      { name: '/dev/idp/answer', open: (page) => submitTo(page, '/dev/idp/answer', () => page.locator('main form button[type=submit]').first().click()) }];
  };
  // /area/contacts/pec/code shows the PEC change the set-up left waiting for its code.
  const citizenPages = ['/area', '/area/password', '/area/pin/change', '/area/services', '/area/sessions',
    '/area/contacts/email', '/area/contacts/mobile', '/area/contacts/pec', '/area/contacts/pec/code'];
  const deskPages = () => ['/desk', `/desk/requests/${requestId}`, '/desk/mismatches', `/desk/citizens?codiceFiscale=${cf}`];
  const administrationPages = () => ['/administration', jobPath ?? '/administration', '/administration/workers'];
  const shots: Record<string, string> = { '/signin': 'signin', '/recovery/password': 'recovery', '/recovery/pin': 'pin-recovery', '/area/pin/change': 'pin-change',
    '/assistance': 'assistance', '/desk': 'desk-queue', '/desk/mismatches': 'desk-mismatches' };
  const shotOf = (path: string): string | undefined => shots[path]
    ?? (path.startsWith('/appointments?office=') ? 'appointments' : path.startsWith('/desk/requests/') ? 'desk-request' : path.startsWith('/desk/citizens?') ? 'desk-citizen' : undefined);

  for (const lang of languages) {
    test(`${lang}: zero axe violations, header whole, forms not overprinted, at ${auditWidths.join(' and ')} px`, async () => {
      const found: { url: string; width: number; violations: AxeViolation[] }[] = [];
      const layout: string[] = [];
      const groups: [BrowserContext, Visit[]][] = [
        [await context(lang, 'visitor'), [...visitorPages, `/appointments?office=${officeId}&date=2026-11-30`, wasntMePath]],
        [await context(lang, 'visitor'), federationPages()],
        [await context(lang, 'citizen'), citizenPages],
        [await context(lang, 'operator'), deskPages()],
        [await context(lang, 'administration'), administrationPages()],
      ];
      for (const [ctx, visits] of groups) {
        const page = await ctx.newPage();
        for (const visit of visits) {
          const path = typeof visit === 'string' ? visit : visit.name;
          let snapshot: Snapshot;
          if (typeof visit === 'string') {
            const url = `${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
            const response = await page.goto(url);
            assert.ok(response && response.status() < 400, `${path}: ${response?.status()}`);
            assert.equal(page.url(), url, `${path} shows itself, not a redirect`);
            snapshot = { url, html: await response.text() };
          } else {
            snapshot = await visit.open(page);
          }
          assert.match(snapshot.html, new RegExp(`<html lang="${lang}"`), `${path} in ${lang}`);
          assert.doesNotMatch(snapshot.html, /\b(?:common|signIn|assistance|desk|appointments|recovery|pin|area|contacts|footer|legal)\.[a-zA-Z.]+\b(?![^<]*>)/, `${path}: a raw message key`);
          for (const width of auditWidths) {
            found.push({ url: path, width, violations: await axeViolations(browser, snapshot, width) });
            layout.push(...(await layoutProblems(browser, snapshot, width)).map((p) => `${path} at ${width}px: ${p}`));
          }
          if (path === '/recovery/password') {
            assert.match(snapshot.html, /href="\/auth\/spid\/login\?[^"]*purpose=recovery/, 'recovery offers SPID');
            assert.match(snapshot.html, /href="\/auth\/cie\/login\?[^"]*purpose=recovery/, 'recovery offers CIE');
          }
          const shot = shotOf(path);
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
      assert.ok(found.length >= 2 * 30, `${found.length} page checks`);
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
