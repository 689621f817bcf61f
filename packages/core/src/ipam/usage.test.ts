import { describe, expect, it } from 'vitest';
import { allocateAddresses } from './allocator.js';
import { gateway, kubevip } from './test-support.js';
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
