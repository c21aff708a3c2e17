// Issue 6 end to end in Chromium: a citizen who lost both the registered email and phone
// files a request with an identity document, confirms it, an operator verifies and resolves
// it in the back office, and the citizen signs in with the temporary password and changes it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { activateCitizen, adminToken, mailbox, startTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchBrowser, screenshotDir, serveForBrowser } from '../helpers/browser.ts';
import { png } from '../helpers/documents.ts';

const skip = browserSkipReason();
const cf = 'RSSMRA85T10A562S';
const operatorPassword = 'Sportello#Aperto-2026';

describe('assisted recovery in a browser', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await startTestApp();
    base = await serveForBrowser(t.app);
    browser = await launchBrowser();
    await activateCitizen(t.app, { codiceFiscale: cf, firstName: 'Mario', lastName: 'Rossi', email: 'persa@example.it', mobile: '+393331234567', password: 'Tramonto-Viola!Sul-Po7' });
    const operator = await t.app.inject({ method: 'POST', url: '/api/v1/admin/operators', headers: { authorization: `Bearer ${adminToken}` },
      payload: { codiceFiscale: 'VRDLGU80A01F205T', firstName: 'Luigi', lastName: 'Verdi', email: 'operatore@example.it', password: operatorPassword } });
    assert.equal(operator.statusCode, 201, operator.body);
    writeFileSync('test-output/carta-identita.png', png(600, 400));
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('request, confirmation, operator resolution, sign-in with the temporary password', async () => {
    const citizen = await (await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'it-IT' })).newPage();
    await citizen.goto(`${base}/assistance`);
    await citizen.getByLabel('Codice fiscale', { exact: true }).fill(cf);
    await citizen.getByLabel('Email a cui scriverti').fill('ritrovata@example.it');
    await citizen.getByLabel('Di cosa hai bisogno?').selectOption('password_reset');
    await citizen.getByLabel('Descrivi il problema').fill('Non ho più accesso né alla vecchia email né al vecchio numero.');
    await citizen.getByLabel('Documento d’identità (PDF, JPEG o PNG, al massimo 5 MB)').setInputFiles('test-output/carta-identita.png');
    await citizen.getByRole('button', { name: 'Invia la richiesta' }).click();
    assert.match(await citizen.getByRole('status').first().innerText(), /Richiesta ricevuta/);

    const confirmMail = (await mailbox(t.app, 'ritrovata@example.it')).find((m) => m.kind === 'assistance_confirm');
    const link = /https?:\/\/\S+\/assistance\/confirm\/\S+/.exec(confirmMail?.text ?? '')![0];
    await citizen.goto(link.replace(/^https?:\/\/[^/]+/, base));
    await citizen.getByRole('button', { name: 'Confermo la richiesta' }).click();
    assert.match(await citizen.locator('main').innerText(), /un operatore la esaminerà entro il 1 dicembre 2026/);
    await citizen.screenshot({ path: `${screenshotDir}/assistance-confirmed-360.png`, fullPage: true });

    const desk = await (await browser.newContext({ javaScriptEnabled: false, locale: 'it-IT' })).newPage();
    await desk.goto(`${base}/desk`);
    await desk.getByLabel('Codice fiscale', { exact: true }).fill('VRDLGU80A01F205T');
    await desk.getByLabel('Password', { exact: true }).fill(operatorPassword);
    await desk.getByRole('button', { name: 'Accedi' }).click();
    await desk.getByRole('link', { name: new RegExp(cf) }).click();
    const download = desk.waitForEvent('download');
    await desk.getByRole('link', { name: 'Scarica il documento d’identità' }).click();
    assert.match((await download).suggestedFilename(), /\.png$/);
    await desk.locator('label[for=outcome-temporary_password]').click();
    await desk.locator('label[for=field-identityVerified]').click();
    await desk.locator('label[for=field-updateEmail]').click();
    await desk.getByLabel('Nota (verifiche fatte, motivo del rifiuto)').fill('Carta d’identità conforme, foto corrispondente.');
    await desk.screenshot({ path: `${screenshotDir}/desk-request.png`, fullPage: true });
    await desk.getByRole('button', { name: 'Chiudi la richiesta' }).click();
    assert.match(await desk.getByRole('status').first().innerText(), /Richiesta chiusa/);

    const temporary = (await mailbox(t.app, 'ritrovata@example.it')).find((m) => m.kind === 'temporary_password');
    const password = /:\n(\S+)\n/.exec(temporary?.text ?? '')![1]!;
    await citizen.goto(`${base}/signin`);
    await citizen.getByLabel('Codice fiscale', { exact: true }).fill(cf);
    await citizen.getByLabel('Password', { exact: true }).fill(password);
    await citizen.getByRole('button', { name: 'Accedi' }).click();
    await citizen.waitForURL(`${base}/area/password`);
    await citizen.getByLabel('Password attuale').fill(password);
    await citizen.getByLabel('Nuova password', { exact: true }).fill('Girasole#Lago-Blu42');
    await citizen.getByLabel('Ripeti la nuova password').fill('Girasole#Lago-Blu42');
    await citizen.getByRole('button', { name: 'Salva la nuova password' }).click();
    await citizen.goto(`${base}/area`);
    assert.match(await citizen.locator('main').innerText(), /ritrovata@example\.it/);
  });
});
