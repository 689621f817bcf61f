import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isExcludedAddress, parseAddress } from './address.js';
import { allocateAddresses } from './allocator.js';
import { enumerate, gateway, kubevip } from './test-support.js';
import { poolUsage } from './usage.js';

describe('poolUsage (IP7)', () => {
  it('should report capacity, used and free per pool and family as decimal strings', () => {
    const config = kubevip({ 'cidr-global': '10.0.0.0/24,2001:db8::/64', 'cidr-team': '10.1.0.252/30,10.1.1.0/30' });
    const outcomes = allocateAddresses({
      gateways: [gateway('a', [config]), gateway('b', [config], { requests: [{}, {}] }), gateway('t', [config], { namespace: 'team' })],
      inUse: [{ address: '10.0.0.9', holder: 'Service x/y', namespace: 'x' }, { address: '172.16.0.1', holder: 'Service x/z', namespace: 'x' }],
      allowUnpooled: false,
    });
    const usage = poolUsage({ pools: [...config.pools.values()], outcomes: outcomes.values(), inUse: [{ address: '10.0.0.9', holder: 'Service x/y' }] });
    expect(usage.map((u) => u.pool)).toEqual(['kube-system/kubevip#cidr-global', 'kube-system/kubevip#cidr-global', 'kube-system/kubevip#cidr-team']);
    expect(usage).toEqual([
      // 256 addresses minus .0 and .255; a.1, b.2 and the Service's .9.
      { pool: 'kube-system/kubevip#cidr-global', family: 'IPv4', capacity: '254', used: '3', free: '251' },
      { pool: 'kube-system/kubevip#cidr-global', family: 'IPv6', capacity: '18446744073709551616', used: '1', free: '18446744073709551615' },
      // .252-.254 and 1.1-1.3: 6 addresses (.255 and 1.0 excluded); cidr-team wins over cidr-global (B.3).
      { pool: 'kube-system/kubevip#cidr-team', family: 'IPv4', capacity: '6', used: '1', free: '5' },
    ]);
  });

  it('should not count excluded addresses lying between used ones as used', () => {
    const config = kubevip({ 'cidr-global': '10.0.0.0/23' });
    const used = ['10.0.0.254', '10.0.1.1'].map((address) => ({ address, holder: 'Service x/y' }));
    expect(poolUsage({ pools: [...config.pools.values()], outcomes: [], inUse: used })[0]).toMatchObject({ capacity: '508', used: '2', free: '506' });
  });

  it('should report each pool once, sorted by id, and leave DHCP pools out', () => {
    const config = kubevip({ 'range-b': '10.0.0.1-10.0.0.2', 'range-a': '10.0.0.1-10.0.0.2', 'cidr-global': '0.0.0.0/32' });
    const pools = [...config.pools.values()];
    expect(poolUsage({ pools: [...pools, ...pools], outcomes: [], inUse: [] }).map((u) => u.pool)).toEqual([
      'kube-system/kubevip#range-a',
      'kube-system/kubevip#range-b',
    ]);
  });
});

describe('poolUsage against a brute-force count', () => {
  it('should count capacity and used like enumerating the pool (property, 1000 runs)', () => {
    const v4 = fc.integer({ min: 240, max: 530 }).map((n) => `10.0.${n >> 8}.${n & 255}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(v4, v4), { minLength: 1, maxLength: 3 }), fc.array(v4, { maxLength: 40 }), fc.boolean(), (ranges, used, skip) => {
        const value = ranges.map(([a, b]) => (parseAddress(a)!.value <= parseAddress(b)!.value ? `${a}-${b}` : `${b}-${a}`)).join(',');
        const config = kubevip({ 'range-global': value, ...(skip ? { 'skip-end-ips-in-cidr': 'true' } : {}) });
        const pool = config.pools.get('range-global')!;
        const allocatable = enumerate(pool, 'IPv4').filter((a) => !isExcludedAddress('IPv4', parseAddress(a)!.value));
        const usedSet = new Set(used);
        const report = poolUsage({ pools: [pool], outcomes: [], inUse: used.map((address) => ({ address, holder: 'Service x/y' })) })[0]!;
        expect(report.capacity).toBe(String(allocatable.length));
        expect(report.used).toBe(String(allocatable.filter((a) => usedSet.has(a)).length));
        expect(BigInt(report.free)).toBe(BigInt(report.capacity) - BigInt(report.used));
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});
