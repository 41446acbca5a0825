import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { specialAddressKind } from '../../src/cimd/address.js';

describe('specialAddressKind', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'this_network'],
    ['10.0.0.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link_local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['192.0.0.8', 'protocol_assignment'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link_local'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
    ['::127.0.0.1', 'ipv4_compatible'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456::1', 'unique_local'],
    ['fe80::1', 'link_local'],
    ['febf::1', 'link_local'],
    ['fec0::1', 'site_local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'protocol_assignment'],
    ['fe80::1%eth0', 'invalid'],
    ['[::1]', 'invalid'],
    ['localhost', 'invalid'],
  ])('%s is %s', (address, kind) => {
    expect(specialAddressKind(address)).toBe(kind);
  });

  it.each([
    '93.184.215.14',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
  ])('%s is an ordinary address', (address) => {
    expect(specialAddressKind(address)).toBeUndefined();
  });

  it('agrees with node:net BlockList on the private, loopback and link-local ranges (property)', () => {
    const list = new BlockList();
    for (const [network, prefix] of [
      ['10.0.0.0', 8],
      ['127.0.0.0', 8],
      ['169.254.0.0', 16],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
      ['100.64.0.0', 10],
    ] as const) {
      list.addSubnet(network, prefix, 'ipv4');
    }
    for (const [network, prefix] of [
      ['fc00::', 7],
      ['fe80::', 10],
      ['ff00::', 8],
    ] as const) {
      list.addSubnet(network, prefix, 'ipv6');
    }
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (address) => {
        const family = address.includes(':') ? 'ipv6' : 'ipv4';
        if (list.check(address, family)) expect(specialAddressKind(address)).toBeDefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('judges an IPv4-mapped IPv6 address exactly as its IPv4 address (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ipv4) => {
        expect(specialAddressKind(`::ffff:${ipv4}`)).toBe(specialAddressKind(ipv4));
      }),
    );
  });
});
