// SPID and CIE in Chromium through the development test IdP: sign-in (SPID at level 2) and
// password recovery, each for SPID and for CIE, with JavaScript (the forms submit
// themselves) and without (the visible buttons), on a 360 px screen; and SPID single logout.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminToken, startTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchBrowser, screenshotDir } from '../helpers/browser.ts';

const skip = browserSkipReason();
const cf = 'RSSMRA85T10A562S';

/** The SP must know its public URL before it starts (entityID, ACS), so the port is chosen first. */
async function freePort(): Promise<number> {
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

describe('SPID and CIE in a browser', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await startTestApp({ PORT: String(port), PUBLIC_URL: base });
    await t.app.listen({ host: '127.0.0.1', port });
    browser = await launchBrowser();
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/admin/accounts', headers: { authorization: `Bearer ${adminToken}` },
      payload: { codiceFiscale: cf, firstName: 'Mario', lastName: 'Rossi', birthDate: '1985-12-10', temporaryPassword: 'Provvisoria-2026' } });
    assert.equal(created.statusCode, 201);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function phonePage(javaScriptEnabled: boolean): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled, locale: 'it-IT' });
    return context.newPage();
  }

  /** From a page showing the buttons to the page after the ACS. */
  async function throughTestIdp(page: Page, js: boolean, shot: string, kind: 'spid' | 'cie' = 'spid'): Promise<void> {
    if (kind === 'spid') {
      await page.getByText('Entra con SPID', { exact: true }).click();
      await page.screenshot({ path: `${screenshotDir}/${shot}-providers-360.png`, fullPage: true });
      await page.getByRole('link', { name: 'Varco test IdP' }).click();
    } else {
      await page.getByRole('link', { name: 'Entra con CIE' }).click();
    }
    if (!js) {
      assert.equal(await page.locator('h1').innerText(), 'Trasferimento al gestore dell’identità');
      await page.getByRole('button', { name: 'Prosegui verso il gestore' }).click();
    }
    await page.waitForURL(`${base}/dev/idp/sso`);
    await page.locator('label[for=identity-mario]').click();
    await page.screenshot({ path: `${screenshotDir}/${shot}-test-idp-360.png`, fullPage: true });
    await page.getByRole('button', { name: 'Accedi', exact: true }).click();
    if (!js) {
      await page.waitForURL(`${base}/dev/idp/answer`);
      await page.getByRole('button', { name: 'Prosegui verso il gestore' }).click();
      await page.waitForURL(`${base}/auth/${kind}/acs`);
      assert.equal(await page.locator('h1').innerText(), 'Accesso effettuato');
      await page.getByRole('link', { name: 'Continua' }).click();
    }
  }

  const passwords: Record<string, string> = {
    'spid-js': 'Nuova-Strada!Verso-Sud9', 'spid-nojs': 'Altra-Strada!Verso-Est3', 'cie-js': 'Terza-Strada!Verso-Ovest5', 'cie-nojs': 'Quarta-Via!Verso-Nord8',
  };

  for (const kind of ['spid', 'cie'] as const) {
    const name = kind.toUpperCase();
    for (const js of [true, false]) {
      const label = js ? 'with JavaScript' : 'without JavaScript';
      const tag = `${kind}-${js ? 'js' : 'nojs'}`;

      test(`sign-in with ${name} through the test IdP${kind === 'spid' ? ' at level 2' : ''} ${label}, 360 px`, async () => {
        const page = await phonePage(js);
        await page.goto(`${base}/signin`);
        await throughTestIdp(page, js, `${tag}-signin`, kind);
        await page.waitForURL(`${base}/area`);
        assert.equal(await page.locator('h1').innerText(), 'Area personale');
        const me = await (await page.request.get(`${base}/api/v1/me`)).json();
        assert.equal(me.signedInWith.method, kind);
        if (kind === 'spid') assert.equal(me.signedInWith.level, 2);
        await page.context().close();
      });

      test(`password recovery through ${name} ${label}, 360 px`, async () => {
        const page = await phonePage(js);
        await page.goto(`${base}/recovery/password`);
        await throughTestIdp(page, js, `${tag}-recovery`, kind);
        await page.waitForURL(`${base}/area/password`);
        assert.equal(await page.locator('input[name=currentPassword]').count(), 0, 'no current password asked');
        const password = passwords[tag] as string;
        await page.getByLabel('Nuova password', { exact: true }).fill(password);
        await page.getByLabel('Ripeti la nuova password').fill(password);
        await page.getByRole('button', { name: 'Salva la nuova password' }).click();
        await page.screenshot({ path: `${screenshotDir}/${tag}-recovery-done-360.png`, fullPage: true });
        const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { codiceFiscale: cf, password } });
        assert.equal(signIn.statusCode, 200);
        await page.context().close();
      });
    }
  }

  for (const js of [true, false]) {
    test(`SPID single logout through the test IdP ${js ? 'with' : 'without'} JavaScript`, async () => {
      const page = await phonePage(js);
      await page.goto(`${base}/signin`);
      await throughTestIdp(page, js, `spid-logout-${js ? 'js' : 'nojs'}`, 'spid');
      await page.waitForURL(`${base}/area`);
      await page.getByRole('button', { name: 'Esci' }).click();
      if (!js) {
        assert.equal(await page.locator('h1').innerText(), 'Uscita');
        await page.getByRole('button', { name: 'Prosegui verso il gestore' }).click();
        await page.waitForURL(`${base}/dev/idp/slo`);
        await page.getByRole('button', { name: 'Prosegui verso il gestore' }).click();
      }
      await page.waitForURL(`${base}/auth/spid/slo`);
      await page.getByText('Sei uscito dal servizio e dal tuo gestore SPID.').waitFor();
      assert.equal((await page.request.get(`${base}/api/v1/me`)).status(), 401);
      await page.context().close();
    });
  }
});
