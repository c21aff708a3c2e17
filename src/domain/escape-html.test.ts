import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { escapeHtml } from './escape-html.ts';

const unescape = (html: string) => html.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) =>
  ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '');

test('property: escaped text holds no markup character and reads back as the text', () => {
  const markupHeavy = fc.string({ unit: fc.constantFrom('&', '<', '>', '"', "'", 'a', 'è', ' ', ';', '#') });
  fc.assert(fc.property(fc.oneof(fc.string(), markupHeavy), (text) => {
    const escaped = escapeHtml(text);
    assert.doesNotMatch(escaped, /[<>"']/);
    assert.doesNotMatch(escaped, /&(?!(amp|lt|gt|quot|#39);)/);
    assert.equal(unescape(escaped), text);
  }));
});

test('text without markup characters comes back as it is', () => {
  assert.equal(escapeHtml("Accedi con SPID"), 'Accedi con SPID');
  assert.equal(escapeHtml(`<a href="x">L'area</a> & co`), '&lt;a href=&quot;x&quot;&gt;L&#39;area&lt;/a&gt; &amp; co');
});
