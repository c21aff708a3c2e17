// The PIN in Chromium on a 360 px screen without JavaScript: the halves from the mailbox,
// sign-in on the PIN tab, first access, the 8-character PIN; then "Hai smarrito il tuo PIN?"
// from the sign-in page to a new PIN, and a revocation from the personal area.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mailbox, startTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchBrowser, screenshotDir, serveForBrowser } from '../helpers/browser.ts';
import { issueBySteps, issuedPin, registerPinCitizen, type PinCitizen } from '../helpers/pin.ts';

const skip = browserSkipReason();

describe('PIN in a browser', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let citizen: PinCitizen;
  let activePin = '';

  before(async () => {
    t = await startTestApp();
    base = await serveForBrowser(t.app);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'it-IT' });
    page = await context.newPage();
    citizen = await registerPinCitizen(t, 80);
    await issueBySteps(t, citizen.codiceFiscale);
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  async function fitsTheScreen(name: string): Promise<void> {
    await page.screenshot({ path: `${screenshotDir}/${name}-360.png`, fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${name} is ${width}px wide`);
  }

  async function signInOnPinTab(pin: string): Promise<void> {
    await page.goto(`${base}/signin`);
    await page.getByRole('link', { name: 'PIN', exact: true }).click();
    await page.getByLabel('Codice fiscale', { exact: true }).fill(citizen.codiceFiscale);
    await page.getByLabel('PIN', { exact: true }).fill(pin);
    await page.getByRole('button', { name: 'Accedi' }).click();
  }

  async function firstAccess(initial: string): Promise<string> {
    await signInOnPinTab(initial);
    await page.waitForURL(`${base}/area/pin/change`);
    assert.match(await page.locator('main').innerText(), /Primo accesso con il PIN/);
    await page.getByRole('button', { name: 'Genera il nuovo PIN' }).click();
    const proposed = (await page.locator('.varco-secret').innerText()).trim();
    assert.match(proposed, /^[A-HJ-NP-Za-km-np-z2-9]{8}$/);
    assert.match(await page.locator('main').innerText(), /non te lo mostreremo più/);
    await fitsTheScreen('pin-first-access');
    await page.getByLabel('PIN attuale').fill(initial);
    await page.getByLabel('Nuovo PIN (ricopia quello proposto)').fill(proposed);
    await page.getByRole('button', { name: 'Conferma il nuovo PIN' }).click();
    await page.waitForURL(/\/area\?pin=changed$/);
    assert.match(await page.getByRole('status').first().innerText(), /Il nuovo PIN è attivo/);
    return proposed;
  }

  test('the halves from SMS and email open a first access; then the 8-character PIN signs in', async () => {
    const first = (await mailbox(t.app, citizen.mobile)).find((m) => m.kind === 'pin_first_half')?.text ?? '';
    const second = (await mailbox(t.app, citizen.email)).find((m) => m.kind === 'pin_second_half')?.text ?? '';
    const initial = `${/:\n(\S{8})\n/.exec(first)?.[1]}${/:\n(\S{8})\n/.exec(second)?.[1]}`;
    assert.equal(initial, await issuedPin(t, citizen));
    activePin = await firstAccess(initial);
    await page.getByRole('button', { name: 'Esci' }).click();
    await signInOnPinTab(activePin);
    await page.waitForURL(`${base}/area`);
    assert.equal(await page.locator('h1').innerText(), 'Area personale');
    assert.match(await page.locator('#pin-heading + p').innerText(), /Il PIN è attivo/);
    await fitsTheScreen('pin-area');
    await page.getByRole('button', { name: 'Esci' }).click();
  });

  test('"Hai smarrito il tuo PIN?": two contacts, the emailed link, a new PIN in two halves', async () => {
    assert.ok(activePin, 'runs after the first access');
    await page.goto(`${base}/signin?method=pin`);
    await page.getByRole('link', { name: 'Hai smarrito il tuo PIN?' }).click();
    await page.waitForURL(`${base}/recovery/pin`);
    assert.match(await page.locator('main').innerText(), /browser del telefono/);
    await fitsTheScreen('pin-recovery-start');
    await page.getByLabel('Codice fiscale', { exact: true }).fill(citizen.codiceFiscale);
    await page.getByLabel('Email').fill(citizen.email);
    await page.getByRole('button', { name: 'Avanti' }).click();
    assert.match(await page.locator('#field-contacts-error').innerText(), /almeno due dei tuoi recapiti/);
    await page.getByLabel('Cellulare').fill(citizen.mobile.replace('+39', ''));
    await page.getByRole('button', { name: 'Avanti' }).click();
    await page.waitForURL(`${base}/recovery/pin/sent`);
    assert.match(await page.locator('main').innerText(), /richiesta di recupero del PIN è stata accettata/);

    const mail = (await mailbox(t.app, citizen.email)).filter((m) => m.kind === 'pin_recovery_code').at(-1)?.text ?? '';
    const link = /(https?:\/\/\S+\/recovery\/pin\/confirm\/\d{8})/.exec(mail)?.[1];
    assert.ok(link, 'the email holds the confirmation link');
    await page.goto(link.replace(/^https?:\/\/[^/]+/, base));
    assert.match(await page.getByLabel('Codice di recupero').inputValue(), /^\d{8}$/, 'the link pre-fills the code');
    await page.getByLabel('Codice fiscale', { exact: true }).fill(citizen.codiceFiscale);
    await page.getByRole('button', { name: 'Conferma' }).click();
    await page.waitForURL(`${base}/recovery/pin/confirmed`);
    await fitsTheScreen('pin-recovery-confirmed');

    const recovered = await issuedPin(t, citizen);
    await signInOnPinTab(activePin);
    assert.match(await page.getByRole('alert').first().innerText(), /credenziali non corretti/, 'the old PIN no longer works');
    activePin = await firstAccess(recovered);
  });

  test('revoking the PIN from the personal area', async () => {
    assert.ok(activePin, 'runs after the recovery');
    await page.goto(`${base}/area`);
    await page.getByRole('button', { name: 'Revoca il PIN' }).click();
    await page.waitForURL(`${base}/pin/revoked`);
    assert.match(await page.locator('main').innerText(), /non potrà più essere usato/);
    await signInOnPinTab(activePin);
    assert.match(await page.getByRole('alert').first().innerText(), /credenziali non corretti/);
  });
});
