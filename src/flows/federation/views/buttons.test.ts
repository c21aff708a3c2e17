// "Entra con SPID" / "Entra con CIE" per AgID's button conventions: every provider of the
// registry with its name and logo, in a random order each time, inside a native disclosure
// (keyboard and screen readers, no JavaScript), plain links that wrap at 360 px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFlowMessages, translator } from '../../../web/i18n/index.ts';
import type { PageContext } from '../../../web/layout.ts';
import { flowMessages } from '../../manifest.ts';
import type { IdentityProvider } from '../idp-registry.ts';
import { federationButtons, pinRenewalButtons, recoveryButtons } from './buttons.ts';

installFlowMessages(flowMessages());
const ctx: PageContext = { lang: 'it', t: translator('it'), path: '/signin', signedIn: false, csrfToken: 'x' };
const providers: IdentityProvider[] = ['Aruba ID', 'InfoCert ID', 'Lepida ID', 'Namirial ID', 'PosteID', 'Sielte ID', 'TIM ID'].map((name, i) => ({
  entityId: `https://idp${i}.example`, name, logo: `/static/federation/idp${i}.svg`, ssoUrl: `https://idp${i}.example/sso`, sloUrl: null, certs: ['x'],
}));
const render = (html: { toString(): string }) => String(html);
const orderOf = (page: string) => [...page.matchAll(/<span>([^<]+)<\/span>/g)].map((m) => m[1]);

test('every registry provider is listed with its name and logo, in random order', () => {
  const orders = new Set<string>();
  for (let i = 0; i < 30; i += 1) {
    const page = render(federationButtons(ctx, { spid: providers, cie: true }));
    const order = orderOf(page);
    assert.deepEqual([...order].sort(), providers.map((p) => p.name).sort(), 'each provider once');
    for (const provider of providers) assert.ok(page.includes(`src="${provider.logo}" alt=""`), 'decorative logo: the name is the accessible text');
    orders.add(order.join('|'));
  }
  assert.ok(orders.size > 1, 'the order changes from one rendering to the next');
});

test('keyboard and screen-reader usable without JavaScript: a <details> disclosure, a labelled list of plain links', () => {
  const page = render(federationButtons(ctx, { spid: providers, cie: true }, { next: '/area/pin/change' }));
  assert.match(page, /<details class="varco-spid mb-3">\s*<summary class="btn btn-primary w-100">Entra con SPID<\/summary>/);
  assert.match(page, /<nav aria-label="Scegli il tuo gestore SPID">/);
  assert.equal([...page.matchAll(/<a href="\/auth\/spid\/login\?idp=[^"]+&amp;level=2&amp;next=%2Farea%2Fpin%2Fchange"/g)].length, providers.length);
  assert.doesNotMatch(page, /<script|onclick|tabindex="-1"/);
  assert.match(page, /<a class="btn btn-outline-primary w-100" href="\/auth\/cie\/login\?next=%2Farea%2Fpin%2Fchange">Entra con CIE<\/a>/);
  assert.match(page, /class="[^"]*w-100/, 'full-width buttons fit a 360 px screen');
});

test('recovery pages carry their purpose; with federation off there are no buttons', () => {
  assert.match(render(recoveryButtons(ctx, { spid: providers, cie: true })), /purpose=recovery/);
  assert.match(render(pinRenewalButtons(ctx, { spid: providers, cie: true })), /purpose=pin/);
  assert.equal(render(federationButtons(ctx, null)), '');
  assert.equal(render(federationButtons(ctx, { spid: [], cie: false })), '');
});
