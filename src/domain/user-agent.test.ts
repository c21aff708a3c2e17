import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { describeUserAgent } from './user-agent.ts';

const samples: [string, string | null, string | null, boolean][] = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome', 'Windows', false],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge', 'Windows', false],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox', 'Linux', false],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', 'Safari', 'iPhone', true],
  ['Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36', 'Samsung Internet', 'Android', true],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', 'Safari', 'macOS', false],
  ['Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 OPR/85.0', 'Opera', 'Android', true],
  ['curl/8.5.0', null, null, false],
  ['', null, null, false],
];

test('common browsers are named with their system', () => {
  for (const [ua, browser, system, mobile] of samples) {
    assert.deepEqual(describeUserAgent(ua), { browser, system, mobile }, ua);
  }
});

test('property: any header text gives a description and never throws', () => {
  fc.assert(fc.property(fc.string({ maxLength: 400 }), (ua) => {
    const description = describeUserAgent(ua);
    assert.equal(typeof description.mobile, 'boolean');
  }));
});
