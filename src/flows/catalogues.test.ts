// Error codes double as translation keys: every code and every text exists in it, en and ro.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorStatus } from '../domain/errors.ts';
import { catalogues, installFlowMessages, type FlowMessages, languages, languageFromHeader, translator } from '../web/i18n/index.ts';
import { flowMessages, flows } from './manifest.ts';

// Over the manifest: the catalogues the application uses, every flow's texts included.
installFlowMessages(flowMessages());

test('every flow of the manifest brings its texts into the catalogue', () => {
  const withTexts = flows.flatMap((flow) => ('messages' in flow ? [{ name: flow.name, messages: flow.messages as FlowMessages }] : []));
  assert.ok(withTexts.length >= 6, 'the flows with page texts are in the manifest');
  for (const flow of withTexts) {
    for (const lang of languages) {
      for (const [key, text] of Object.entries(flow.messages[lang])) assert.equal(catalogues[lang][key as never], text, `${flow.name} ${lang} ${key}`);
    }
  }
  assert.equal(translator('en')('pin.change.title'), catalogues.en['pin.change.title']);
});

test('every error code has a title in every language', () => {
  for (const code of Object.keys(errorStatus)) {
    for (const lang of languages) {
      const text = (catalogues[lang] as Record<string, string>)[`error.${code}`];
      assert.ok(text && text.trim().length > 0, `error.${code} missing in ${lang}`);
    }
  }
});

test('the three catalogues have the same keys and no empty text', () => {
  const italian = Object.keys(catalogues.it).sort();
  for (const lang of languages) {
    assert.deepEqual(Object.keys(catalogues[lang]).sort(), italian, lang);
    for (const [key, text] of Object.entries(catalogues[lang])) assert.ok(text.trim(), `${lang} ${key} empty`);
  }
});

test('placeholders are kept in every translation', () => {
  const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort().join();
  for (const [key, text] of Object.entries(catalogues.it)) {
    for (const lang of languages) {
      assert.equal(placeholders((catalogues[lang] as Record<string, string>)[key]!), placeholders(text), `${lang} ${key}`);
    }
  }
  assert.equal(translator('en')('signIn.locked', { minutes: 15 }).includes('15 minutes'), true);
});

test('Accept-Language picks the best supported language', () => {
  assert.equal(languageFromHeader('ro-RO,ro;q=0.9,en;q=0.8'), 'ro');
  assert.equal(languageFromHeader('de-DE,en;q=0.5,it;q=0.7'), 'it');
  assert.equal(languageFromHeader('fr'), undefined);
  assert.equal(languageFromHeader(undefined), undefined);
});
