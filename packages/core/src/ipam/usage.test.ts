import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isExcludedAddress, parseAddress } from './address.js';
import { allocateAddresses } from './allocator.js';
import { enumerate, gateway, kubevip } from './test-support.js';
import { poolUsage, poolUsageChanged } from './usage.js';

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

describe('poolUsageChanged', () => {
  it('should carry a report over addresses gained and lost as recounting does: overlapping pools, both families, .0/.255 (property, 500 runs)', () => {
    const config = kubevip({ 'range-global': '10.0.0.250-10.0.1.5,2001:db8::1-2001:db8::8', 'cidr-team': '10.0.0.0/23', 'range-other': '10.0.1.0-10.0.1.3' });
    const pools = [...config.pools.values()];
    const candidates = [...Array.from({ length: 16 }, (_, i) => `10.0.${(250 + i) >> 8}.${(250 + i) & 255}`), '2001:db8::2', '2001:db8::7', '10.9.9.9'];
    const usesOf = (addresses: readonly string[]) => addresses.map((address) => ({ address, holder: 'Service x/y' }));
    fc.assert(
      fc.property(fc.subarray(candidates), fc.subarray(candidates), (before, after) => {
        const rows = poolUsage({ pools, outcomes: [], inUse: usesOf(before) });
        const gained = after.filter((a) => !before.includes(a));
        const lost = before.filter((a) => !after.includes(a));
        expect(poolUsageChanged(rows, pools, gained, lost)).toEqual(poolUsage({ pools, outcomes: [], inUse: usesOf(after) }));
      }),
      { numRuns: 500 },
    );
  });

  it('should decline an address given twice or one that does not parse', () => {
    const pools = [...kubevip({ 'range-global': '10.0.0.10-10.0.0.20' }).pools.values()];
    const rows = poolUsage({ pools, outcomes: [], inUse: [] });
    expect(poolUsageChanged(rows, pools, ['10.0.0.10', '10.0.0.10'], [])).toBeUndefined();
    expect(poolUsageChanged(rows, pools, ['nope'], [])).toBeUndefined();
  });
});
