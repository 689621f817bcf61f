import { describe, expect, it } from 'vitest';
import { formatAddress, parseAddress, type IpAddress } from './address.js';
import { AddressSpace } from './address-space.js';
import { kubevip } from './test-support.js';

const ip = (text: string): IpAddress => parseAddress(text)!;

describe('AddressSpace', () => {
  const pool = kubevip({ 'range-global': '10.0.0.254-10.0.1.3,10.0.2.7-10.0.2.8' }).pools.get('range-global')!;

  it('should hand out the lowest free address of the pool, skipping .255 and .0, across ranges', () => {
    const space = AddressSpace.fromAddresses([ip('10.0.0.254'), ip('10.0.1.1')]);
    const got: string[] = [];
    for (let a = space.allocate(pool, 'IPv4'); a !== undefined; a = space.allocate(pool, 'IPv4')) got.push(formatAddress(a));
    expect(got).toEqual(['10.0.1.2', '10.0.1.3', '10.0.2.7', '10.0.2.8']);
  });

  it('should hand out from the top with search-order desc', () => {
    const desc = kubevip({ 'range-global': '10.0.0.254-10.0.1.3', 'search-order': 'desc' }).pools.get('range-global')!;
    const space = new AddressSpace();
    space.take(ip('10.0.1.3'));
    expect(formatAddress(space.findFree(desc, 'IPv4')!)).toBe('10.0.1.2');
  });

  it('should not take the address on findFree', () => {
    const space = new AddressSpace();
    space.findFree(pool, 'IPv4');
    expect(formatAddress(space.findFree(pool, 'IPv4')!)).toBe('10.0.0.254');
  });

  it('should treat a taken range as taken', () => {
    const v6 = kubevip({ 'cidr-global': '2001:db8::/64' }).pools.get('cidr-global')!;
    const space = new AddressSpace();
    const first = v6.ranges.IPv6[0]!.first;
    space.takeRange('IPv6', first, first + (1n << 63n));
    expect(formatAddress(space.findFree(v6, 'IPv6')!)).toBe('2001:db8::8000:0:0:1');
    expect(space.intervalCount('IPv6')).toBe(1);
  });
});
