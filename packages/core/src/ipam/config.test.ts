import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseIpamConfigMap } from './config.js';
import { enumerate, kubevip } from './test-support.js';

// Cases from kube-vip-cloud-provider's own tests (pkg/ipam/ipam_test.go, Test_buildHostsFromRange
// and Test_buildHostsFromCidr; ipam-anchors B.4, B.5): same input, same address set.
describe('parseIpamConfigMap: kube-vip-cloud-provider range cases (B.4)', () => {
  const cases: [string, string, string[]][] = [
    ['single address', '192.168.0.10-192.168.0.10', ['192.168.0.10']],
    ['single range, three addresses', '192.168.0.10-192.168.0.12', ['192.168.0.10', '192.168.0.11', '192.168.0.12']],
    ['single range, across third octet', '192.168.0.253-192.168.1.2',
      ['192.168.0.253', '192.168.0.254', '192.168.0.255', '192.168.1.0', '192.168.1.1', '192.168.1.2']],
    ['two ranges, four addresses', '192.168.0.10-192.168.0.11,192.168.1.20-192.168.1.21',
      ['192.168.0.10', '192.168.0.11', '192.168.1.20', '192.168.1.21']],
    ['two ranges, four addresses w/overlap', '192.168.0.10-192.168.0.11,192.168.0.10-192.168.0.13',
      ['192.168.0.10', '192.168.0.11', '192.168.0.12', '192.168.0.13']],
    ['ipv6, two ips', 'fe80::13-fe80::14', ['fe80::13', 'fe80::14']],
    ['ipv6, single range, across third octet', 'fe80::ffff-fe80::1:3', ['fe80::ffff', 'fe80::1:0', 'fe80::1:1', 'fe80::1:2', 'fe80::1:3']],
    ['ipv6, two ranges, 5 addresses', 'fe80::10-fe80::12,fe81::13-fe81::14', ['fe80::10', 'fe80::11', 'fe80::12', 'fe81::13', 'fe81::14']],
    ['ipv6, two ranges, 5 addresses w/overlap', 'fe80::10-fe80::12,fe80::10-fe80::14', ['fe80::10', 'fe80::11', 'fe80::12', 'fe80::13', 'fe80::14']],
  ];
  it.each(cases)('should read %s', (_name, value, expected) => {
    const pool = kubevip({ 'range-global': value }).pools.get('range-global')!;
    expect([...enumerate(pool, 'IPv4'), ...enumerate(pool, 'IPv6')]).toEqual(expected);
  });
});

describe('parseIpamConfigMap: kube-vip-cloud-provider CIDR cases (B.4, B.5)', () => {
  const cases: [string, string, boolean, string[]][] = [
    ['single entry, /32', '192.168.0.200/32', false, ['192.168.0.200']],
    ['single entry, /32, skip-end set', '192.168.0.200/32', true, ['192.168.0.200']],
    ['single entry, 4 addresses', '192.168.0.200/30', false, ['192.168.0.200', '192.168.0.201', '192.168.0.202', '192.168.0.203']],
    ['single entry, 2 addresses, skip-end set', '192.168.0.200/30', true, ['192.168.0.201', '192.168.0.202']],
    ['single entry, /31, skip-end set', '192.168.0.200/31', true, ['192.168.0.200', '192.168.0.201']],
    ['dual entry, overlap, 8 addresses', '192.168.0.200/30,192.168.0.200/29', false,
      ['192.168.0.200', '192.168.0.201', '192.168.0.202', '192.168.0.203', '192.168.0.204', '192.168.0.205', '192.168.0.206', '192.168.0.207']],
    ['dual entry, overlap, 6 addresses, skip-end set', '192.168.0.200/30,192.168.0.200/29', true,
      ['192.168.0.201', '192.168.0.202', '192.168.0.203', '192.168.0.204', '192.168.0.205', '192.168.0.206']],
    ['ipv6, two ips', 'fe80::10/127', false, ['fe80::10', 'fe80::11']],
    ['ipv6, two ips, skip-end has no effect', 'fe80::10/127', true, ['fe80::10', 'fe80::11']],
    ['ipv6, two cidrs', 'fe80::10/127,fe80::fe/127', false, ['fe80::10', 'fe80::11', 'fe80::fe', 'fe80::ff']],
    ['ipv6, two cidrs with overlap', 'fe80::10/126,fe80::12/127', false, ['fe80::10', 'fe80::11', 'fe80::12', 'fe80::13']],
  ];
  it.each(cases)('should read %s', (_name, value, skip, expected) => {
    const config = kubevip({ 'cidr-global': value, ...(skip ? { 'skip-end-ips-in-cidr': 'true' } : {}) });
    const pool = config.pools.get('cidr-global')!;
    expect([...enumerate(pool, 'IPv4'), ...enumerate(pool, 'IPv6')]).toEqual(expected);
  });

  it('should mask host bits of a CIDR like netip AddPrefix', () => {
    const pool = kubevip({ 'cidr-global': '192.168.0.10/30' }).pools.get('cidr-global')!;
    expect(enumerate(pool, 'IPv4')).toEqual(['192.168.0.8', '192.168.0.9', '192.168.0.10', '192.168.0.11']);
  });

  it('should skip the ends of the merged prefix, not of each entry, when two CIDRs are adjacent', () => {
    // 10.0.0.0/30 + 10.0.0.4/30 merge into 10.0.0.0/29 first (IPSet.Prefixes()), so only .0 and .7 go.
    const config = kubevip({ 'cidr-global': '10.0.0.0/30,10.0.0.4/30', 'skip-end-ips-in-cidr': 'true' });
    expect(enumerate(config.pools.get('cidr-global')!, 'IPv4')).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
  });

  it('should never skip the ends of ranges, only of CIDRs', () => {
    const config = kubevip({ 'range-global': '10.0.0.4-10.0.0.7', 'skip-end-ips-in-cidr': 'true' });
    expect(enumerate(config.pools.get('range-global')!, 'IPv4')).toEqual(['10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7']);
  });
});

describe('parseIpamConfigMap: keys and values (IP2, B.2)', () => {
  it('should read the README example with per-namespace, global, IPv6 and dual-stack keys', () => {
    const config = kubevip({
      'cidr-default': '192.168.0.200/29',
      'cidr-development': '192.168.0.210/29',
      'range-global': '192.168.0.200-192.168.0.202',
      'cidr-ipv6': '2001::10/127',
      'range-default': '192.168.0.10-192.168.0.11,2001::10-2001::11',
      'allow-share-development': 'true',
      'search-order': 'desc',
      'skip-end-ips-in-cidr': 'true',
      'interface-global': 'eth0',
    });
    expect([...config.pools.keys()]).toEqual(['cidr-default', 'cidr-development', 'cidr-ipv6', 'range-default', 'range-global']);
    expect(config.order).toBe('desc');
    expect(config.skipEndAddresses).toBe(true);
    expect(config.pools.get('cidr-default')!.order).toBe('desc');
    expect(enumerate(config.pools.get('cidr-ipv6')!, 'IPv6')).toEqual(['2001::10', '2001::11']);
    const dual = config.pools.get('range-default')!;
    expect(enumerate(dual, 'IPv4')).toEqual(['192.168.0.10', '192.168.0.11']);
    expect(enumerate(dual, 'IPv6')).toEqual(['2001::10', '2001::11']);
    expect(config.pools.get('cidr-default')!.id).toBe('kube-system/kubevip#cidr-default');
  });

  it('should trim spaces around entries and around the dash (IP2; the cloud provider does not)', () => {
    const pool = kubevip({ 'range-global': ' 10.0.0.1 - 10.0.0.2 ,  10.0.0.9 ' }).pools.get('range-global')!;
    expect(enumerate(pool, 'IPv4')).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.9']);
  });

  it('should ignore empty entries such as a trailing comma', () => {
    const config = kubevip({ 'cidr-global': '10.0.0.0/30,' });
    expect(config.diagnostics).toEqual([]);
    expect(enumerate(config.pools.get('cidr-global')!, 'IPv4')).toHaveLength(4);
  });

  it('should read each entry by its own syntax, so a key may mix CIDRs and ranges', () => {
    const pool = kubevip({ 'range-global': '10.0.0.0/31,10.0.1.5-10.0.1.6' }).pools.get('range-global')!;
    expect(enumerate(pool, 'IPv4')).toEqual(['10.0.0.0', '10.0.0.1', '10.0.1.5', '10.0.1.6']);
  });

  it('should read a value of exactly 0.0.0.0/32 as a DHCP pool (DP7)', () => {
    const pool = kubevip({ 'cidr-global': '0.0.0.0/32' }).pools.get('cidr-global')!;
    expect(pool.dhcp).toBe(true);
    expect(pool.ranges).toEqual({ IPv4: [], IPv6: [] });
  });

  it('should use ascending order for any search-order other than desc, with a warning for unknown values', () => {
    const config = kubevip({ 'cidr-global': '10.0.0.0/30', 'search-order': 'descending' });
    expect(config.order).toBe('asc');
    expect(config.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', key: 'search-order' })]);
    expect(kubevip({ 'search-order': 'asc' }).diagnostics).toEqual([]);
  });

  it('should only skip CIDR ends when skip-end-ips-in-cidr is "true"', () => {
    const config = kubevip({ 'cidr-global': '10.0.0.0/30', 'skip-end-ips-in-cidr': 'yes' });
    expect(config.skipEndAddresses).toBe(false);
    expect(enumerate(config.pools.get('cidr-global')!, 'IPv4')).toHaveLength(4);
    expect(config.diagnostics[0]?.message).toContain('skip-end-ips-in-cidr');
  });

  it('should warn that allow-share keys are not supported (addresses are never shared)', () => {
    const config = kubevip({ 'allow-share-global': 'true' });
    expect(config.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', key: 'allow-share-global' })]);
  });

  it('should ignore keys that hold no pool (interface-*, unknown keys, a bare "cidr-")', () => {
    const config = kubevip({ 'interface-global': 'eth0', 'cidr-': '10.0.0.0/24', other: 'x' });
    expect(config.pools.size).toBe(0);
    expect(config.diagnostics).toEqual([]);
  });
});

describe('parseIpamConfigMap: malformed entries (IP2)', () => {
  const bad: [string, string, string][] = [
    ['an unparseable address', 'range-global', '10.0.0.1-10.0.0.300'],
    ['a range ending before it starts', 'range-global', '10.0.0.9-10.0.0.1'],
    ['a range mixing families', 'range-global', '10.0.0.1-2001::1'],
    ['a range with two dashes', 'range-global', '10.0.0.1-10.0.0.2-10.0.0.3'],
    ['a prefix length too long', 'cidr-global', '10.0.0.0/33'],
    ['a prefix length with a leading zero', 'cidr-global', '10.0.0.0/024'],
    ['an IPv4 address with a leading zero (no octal)', 'cidr-global', '010.0.0.0/24'],
    ['an IPv6 zone', 'cidr-global', 'fe80::1%eth0/64'],
    ['a DHCP marker mixed with other entries', 'cidr-global', '0.0.0.0/32'],
  ];
  it.each(bad)('should drop only the key holding %s, naming key and entry', (_what, key, entry) => {
    const value = entry === '0.0.0.0/32' ? `${entry},10.0.0.0/24` : `10.1.0.0/24,${entry}`;
    const config = kubevip({ [key]: value, 'range-default': '10.9.0.1-10.9.0.5' });
    expect(config.pools.has(key)).toBe(false);
    expect(config.pools.has('range-default')).toBe(true);
    expect(config.invalidKeys.get(key)?.message).toContain(key);
    expect(config.diagnostics).toHaveLength(1);
    const diagnostic = config.diagnostics[0]!;
    expect(diagnostic).toMatchObject({ severity: 'error', key, entry, object: { kind: 'ConfigMap', namespace: 'kube-system', name: 'kubevip' } });
    expect(diagnostic.message).toContain(`key ${key}`);
    expect(diagnostic.message).toContain(`"${entry}"`);
  });

  it('should report a non-string value (data from unknown JSON, e.g. an unquoted YAML true)', () => {
    const config = kubevip({ 'cidr-global': 42, 'range-global': '10.0.0.1-10.0.0.2' });
    expect(config.invalidKeys.get('cidr-global')?.message).toContain('number, not a string');
    expect(config.pools.has('range-global')).toBe(true);
  });

  it('should report an empty value', () => {
    expect(kubevip({ 'cidr-global': ' , ' }).invalidKeys.get('cidr-global')?.message).toContain('lists no address');
  });

  it('should report data that is not a map at all', () => {
    const config = parseIpamConfigMap({ namespace: 'ns', name: 'cm' }, ['cidr-global', '10.0.0.0/24']);
    expect(config.pools.size).toBe(0);
    expect(config.diagnostics[0]?.message).toContain('not a map');
  });

  it('should never throw on arbitrary ConfigMap data (property, 1000 runs)', () => {
    const keys = fc.constantFrom('cidr-global', 'range-global', 'cidr-ns', 'range-ns', 'search-order', 'skip-end-ips-in-cidr', 'allow-share-ns', '__proto__', 'constructor');
    const entry = fc.oneof(
      fc.string(),
      fc.ipV4().map((a) => `${a}/${a.length % 33}`),
      fc.tuple(fc.ipV4(), fc.ipV4()).map(([a, b]) => `${a}-${b}`),
      fc.ipV6().map((a) => `${a}/64`),
      fc.constant('0.0.0.0/32'),
    );
    const value = fc.oneof(fc.array(entry, { maxLength: 4 }).map((entries) => entries.join(',')), fc.anything());
    const data = fc.oneof(fc.dictionary(keys, value), fc.anything());
    fc.assert(
      fc.property(data, (d) => {
        const config = parseIpamConfigMap({ namespace: 'kube-system', name: 'kubevip' }, d);
        for (const pool of config.pools.values()) {
          for (const family of ['IPv4', 'IPv6'] as const) {
            const ranges = pool.ranges[family];
            ranges.forEach((r, i) => {
              expect(r.first <= r.last).toBe(true);
              if (i > 0) expect(ranges[i - 1]!.last + 1n < r.first).toBe(true);
            });
          }
        }
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});

describe('parseIpamConfigMap: CIDR syntax under a range- key', () => {
  it('should skip the ends of a CIDR entry even under a range- key (the value decides, as in the cloud provider)', () => {
    const config = kubevip({ 'range-global': '10.0.0.0/30', 'skip-end-ips-in-cidr': 'true' });
    expect(enumerate(config.pools.get('range-global')!, 'IPv4')).toEqual(['10.0.0.1', '10.0.0.2']);
  });
});
