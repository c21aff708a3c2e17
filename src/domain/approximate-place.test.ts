import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { approximatePlace } from './approximate-place.ts';

test('loopback, private, link-local and unique-local addresses are the local network', () => {
  for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.9', '172.31.255.1', '192.168.1.20', '169.254.3.4', '100.64.0.1',
    '::1', '::ffff:192.168.0.7', 'fe80::1%eth0', 'fd12:3456:789a::1', '[::1]']) {
    assert.deepEqual(approximatePlace(address), { kind: 'local_network' }, address);
  }
});

test('public addresses are shown masked, never whole', () => {
  assert.deepEqual(approximatePlace('93.184.216.34'), { kind: 'masked', address: '93.184.216.x' });
  assert.deepEqual(approximatePlace('::ffff:151.99.1.2'), { kind: 'masked', address: '151.99.1.x' });
  assert.deepEqual(approximatePlace('2001:db8:85a3::8a2e:370:7334'), { kind: 'masked', address: '2001:db8:85a3:…' });
  assert.deepEqual(approximatePlace('172.32.0.1'), { kind: 'masked', address: '172.32.0.x' });
});

test('anything that is not an address is an unknown place', () => {
  for (const value of [null, undefined, '', 'localhost', '1.2.3', '256.1.1.1', '1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9']) {
    assert.deepEqual(approximatePlace(value), { kind: 'unknown' }, String(value));
  }
});

test('property: a public IPv4 address never shows its last octet', () => {
  fc.assert(fc.property(fc.ipV4(), (address) => {
    const place = approximatePlace(address);
    if (place.kind === 'masked') {
      assert.equal(place.address, `${address.split('.').slice(0, 3).join('.')}.x`);
      assert.ok(!place.address.includes(address));
    } else assert.equal(place.kind, 'local_network');
  }));
});

test('property: any IPv6 address is local or masked to its first three groups, and never thrown on', () => {
  fc.assert(fc.property(fc.ipV6(), (address) => {
    const place = approximatePlace(address);
    assert.notEqual(place.kind, 'unknown', address);
    if (place.kind === 'masked') assert.ok(place.address.split(':').length === 4 && place.address.endsWith(':…'), place.address);
  }));
});

test('property: arbitrary text never throws', () => {
  fc.assert(fc.property(fc.string({ maxLength: 60 }), (text) => void approximatePlace(text)));
});
