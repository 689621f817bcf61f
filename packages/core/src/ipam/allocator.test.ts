import { describe, expect, it } from 'vitest';
import { DHCP_ADDRESS, type GatewayIpamInput, type InUseAddress } from './allocation.js';
import { allocateAddresses } from './allocator.js';
import { parseIpamConfigMap, type IpamConfig } from './config.js';
import { addressesOf, gateway, kubevip } from './test-support.js';

/** Allocates for one Gateway in `default` from a single-key kube-vip ConfigMap; returns its outcome. */
function allocateOne(data: Record<string, string>, used: string[], extra: Partial<GatewayIpamInput> = {}) {
  const config = kubevip(data);
  const inUse: InUseAddress[] = used.map((address) => ({ address, holder: 'Service other/svc', namespace: 'other' }));
  return allocateAddresses({ gateways: [gateway('gw', [config], extra)], inUse, allowUnpooled: false }).get('default/gw')!;
}

// kube-vip-cloud-provider's TestFindAvailableHostFromRange and TestFindAvailableHostFromCIDR
// (pkg/ipam/ipam_test.go; ipam-anchors B.5): pool, addresses in use, order → the address it picks.
describe('allocateAddresses: kube-vip-cloud-provider allocation cases (B.5)', () => {
  type Case = [name: string, key: string, value: string, used: string[], options: { desc?: boolean; skip?: boolean }, want: string | null];
  const cases: Case[] = [
    ['simple range', 'range-global', '192.168.0.10-192.168.0.10', [], {}, '192.168.0.10'],
    ['simple range, reverse order', 'range-global', '192.168.0.10-192.168.0.10', [], { desc: true }, '192.168.0.10'],
    ['single range, three addresses', 'range-global', '192.168.0.10-192.168.0.12', [], {}, '192.168.0.10'],
    ['single range, three addresses, reverse order', 'range-global', '192.168.0.10-192.168.0.12', [], { desc: true }, '192.168.0.12'],
    ['single range, across third octet', 'range-global', '192.168.0.253-192.168.1.2', ['192.168.0.253', '192.168.0.254'], {}, '192.168.1.1'],
    ['single range, across third octet, reverse order', 'range-global', '192.168.0.253-192.168.1.2', ['192.168.1.1', '192.168.1.2'], { desc: true }, '192.168.0.254'],
    ['two ranges, four addresses', 'range-global', '192.168.0.10-192.168.0.11,192.168.1.20-192.168.1.21', ['192.168.0.9', '192.168.0.10'], {}, '192.168.0.11'],
    ['two ranges, reverse order', 'range-global', '192.168.0.10-192.168.0.11,192.168.1.20-192.168.1.22', ['192.168.1.21', '192.168.1.22'], { desc: true }, '192.168.1.20'],
    ['ipv6, simple range', 'range-global', 'fe80::13-fe80::14', [], {}, 'fe80::13'],
    ['ipv6, simple range, reverse order', 'range-global', 'fe80::13-fe80::14', [], { desc: true }, 'fe80::14'],
    ['ipv6, three addresses', 'range-global', 'fe80::13-fe80::15', [], {}, 'fe80::13'],
    ['ipv6, three addresses, reverse order', 'range-global', 'fe80::13-fe80::15', [], { desc: true }, 'fe80::15'],
    ['ipv6, across a 16-bit group', 'range-global', 'fe80::ffff-fe80::1:3', ['fe80::ffff'], {}, 'fe80::1:0'],
    ['ipv6, across a 16-bit group, reverse order', 'range-global', 'fe80::ffff-fe80::1:3', ['fe80::1:3', 'fe80::1:2', 'fe80::1:1', 'fe80::1:0'], { desc: true }, 'fe80::ffff'],
    ['ipv6, two ranges', 'range-global', 'fe80::10-fe80::12,fe81::20-fe81::21', ['fe80::10', 'fe80::11', 'fe80::12'], {}, 'fe81::20'],
    ['ipv6, two ranges, reverse order', 'range-global', 'fe80::10-fe80::12,fe81::20-fe81::21', ['fe81::21', 'fe81::20'], { desc: true }, 'fe80::12'],
    ['cidr, allocate the first one', 'cidr-global', '192.168.0.200/30', [], {}, '192.168.0.200'],
    ['cidr, second address with skip-end', 'cidr-global', '192.168.0.200/30', [], { skip: true }, '192.168.0.201'],
    ['cidr, reverse order', 'cidr-global', '192.168.0.200/30', [], { desc: true }, '192.168.0.203'],
    ['cidr, reverse order with skip-end', 'cidr-global', '192.168.0.200/30', [], { desc: true, skip: true }, '192.168.0.202'],
    ['cidr containing .0 and .255', 'cidr-global', '192.168.0.10/24', [], {}, '192.168.0.1'],
    ['cidr containing .0 and .255, reverse order', 'cidr-global', '192.168.0.10/24', [], { desc: true }, '192.168.0.254'],
    ['no ip available', 'cidr-global', '192.168.0.255/30', ['192.168.0.254', '192.168.0.252', '192.168.0.253'], {}, null],
    ['no ip available, reverse order', 'cidr-global', '192.168.0.255/30', ['192.168.0.254', '192.168.0.252', '192.168.0.253'], { desc: true }, null],
    ['dual entry, overlap', 'cidr-global', '192.168.0.200/30,192.168.0.200/29', ['192.168.0.201', '192.168.0.202'], {}, '192.168.0.200'],
    ['dual entry, overlap, skip-end', 'cidr-global', '192.168.0.200/30,192.168.0.200/29', ['192.168.0.201', '192.168.0.202'], { skip: true }, '192.168.0.203'],
    ['dual entry, overlap, reverse order', 'cidr-global', '192.168.0.200/30,192.168.0.200/29', ['192.168.0.201', '192.168.0.202'], { desc: true }, '192.168.0.207'],
    ['dual entry, overlap, reverse order, skip-end', 'cidr-global', '192.168.0.200/30,192.168.0.200/29', ['192.168.0.201', '192.168.0.202'], { desc: true, skip: true }, '192.168.0.206'],
    ['ipv6 cidr, two addresses', 'cidr-global', '2001::49fe/127', [], {}, '2001::49fe'],
    ['ipv6 cidr, skip-end has no effect', 'cidr-global', '2001::49fe/127', [], { skip: true }, '2001::49fe'],
    ['ipv6 cidr, reverse order', 'cidr-global', '2001::49fe/127', [], { desc: true }, '2001::49ff'],
    ['ipv6 cidr, no ip available', 'cidr-global', '2001::49fe/127', ['2001::49fe', '2001::49ff'], {}, null],
    ['ipv6 cidr, no ip available, reverse order', 'cidr-global', '2001::49fe/127', ['2001::49fe', '2001::49ff'], { desc: true }, null],
    ['ipv6 cidr, overlapping entries', 'cidr-global', '2001::10/126,2001::12/127', ['2001::10', '2001::11'], {}, '2001::12'],
    ['ipv6 cidr, overlapping entries, reverse order', 'cidr-global', '2001::10/126,2001::12/127', ['2001::10', '2001::11'], { desc: true }, '2001::13'],
  ];
  it.each(cases)('should pick like the cloud provider: %s', (_name, key, value, used, options, want) => {
    const data: Record<string, string> = { [key]: value };
    if (options.desc === true) data['search-order'] = 'desc';
    if (options.skip === true) data['skip-end-ips-in-cidr'] = 'true';
    const outcome = allocateOne(data, used);
    if (want === null) {
      expect(outcome.addresses).toEqual([]);
      expect(outcome.reason).toBe('AddressNotAssigned');
      expect(outcome.message).toContain('kube-system/kubevip#cidr-global');
    } else {
      expect(addressesOf(outcome)).toEqual([want]);
      expect(outcome.reason).toBeUndefined();
    }
  });
});

describe('allocateAddresses: fresh allocation (IP6)', () => {
  const config = kubevip({ 'cidr-global': '10.0.0.0/29' });

  it('should give each Gateway the lowest free address, oldest Gateway first', () => {
    const outcomes = allocateAddresses({
      gateways: [
        gateway('young', [config], { creationTimestamp: '2024-03-01T00:00:00Z' }),
        gateway('old', [config], { creationTimestamp: '2024-01-01T00:00:00Z' }),
      ],
      inUse: [],
      allowUnpooled: false,
    });
    expect(addressesOf(outcomes.get('default/old'))).toEqual(['10.0.0.1']);
    expect(addressesOf(outcomes.get('default/young'))).toEqual(['10.0.0.2']);
    expect(outcomes.get('default/old')!.addresses[0]).toMatchObject({ origin: 'allocated', pool: 'kube-system/kubevip#cidr-global', serviceAddress: '10.0.0.1' });
  });

  it('should break a creationTimestamp tie by namespace/name', () => {
    const outcomes = allocateAddresses({ gateways: [gateway('b', [config]), gateway('a', [config])], inUse: [], allowUnpooled: false });
    expect(addressesOf(outcomes.get('default/a'))).toEqual(['10.0.0.1']);
  });

  it('should skip every address in use elsewhere (IP3)', () => {
    const outcome = allocateOne({ 'cidr-global': '10.0.0.0/29' }, ['10.0.0.1', '10.0.0.2', '10.0.0.4']);
    expect(addressesOf(outcome)).toEqual(['10.0.0.3']);
  });

  it('should report an exhausted pool as AddressNotAssigned naming the pool', () => {
    const outcome = allocateOne({ 'range-global': '10.0.0.1-10.0.0.2' }, ['10.0.0.1', '10.0.0.2']);
    expect(outcome).toMatchObject({ addresses: [], reason: 'AddressNotAssigned' });
    expect(outcome.message).toBe('pool kube-system/kubevip#range-global has no free IPv4 address left');
  });

  it('should report a namespace without a pool as AddressNotAssigned', () => {
    const outcome = allocateAddresses({ gateways: [gateway('gw', [kubevip({ 'cidr-other': '10.0.0.0/24' })])], inUse: [], allowUnpooled: false }).get('default/gw')!;
    expect(outcome.reason).toBe('AddressNotAssigned');
    expect(outcome.message).toContain('no IPAM pool for namespace "default"');
  });

  it('should not hand out one address twice across namespaces sharing a global pool', () => {
    const shared = kubevip({ 'range-global': '10.0.0.1-10.0.0.2' });
    const outcomes = allocateAddresses({
      gateways: [gateway('a', [shared], { namespace: 'x' }), gateway('a', [shared], { namespace: 'y' }), gateway('a', [shared], { namespace: 'z' })],
      inUse: [],
      allowUnpooled: false,
    });
    expect(addressesOf(outcomes.get('x/a'))).toEqual(['10.0.0.1']);
    expect(addressesOf(outcomes.get('y/a'))).toEqual(['10.0.0.2']);
    expect(outcomes.get('z/a')!.reason).toBe('AddressNotAssigned');
  });

  it('should not hand out one address twice from overlapping namespace and global pools', () => {
    const overlapping = kubevip({ 'range-x': '10.0.0.1-10.0.0.2', 'range-global': '10.0.0.1-10.0.0.5' });
    const outcomes = allocateAddresses({
      gateways: [gateway('a', [overlapping], { namespace: 'x' }), gateway('a', [overlapping], { namespace: 'y' })],
      inUse: [],
      allowUnpooled: false,
    });
    expect(addressesOf(outcomes.get('x/a'))).toEqual(['10.0.0.1']);
    expect(addressesOf(outcomes.get('y/a'))).toEqual(['10.0.0.2']);
  });

  it('should allocate in a huge IPv6 pool without enumerating it', () => {
    const outcome = allocateOne({ 'cidr-global': '2001:db8::/48', 'search-order': 'desc' }, ['2001:db8:0:ffff:ffff:ffff:ffff:ffff']);
    expect(addressesOf(outcome)).toEqual(['2001:db8:0:ffff:ffff:ffff:ffff:fffe']);
  });

  it('should skip .255 and .0 arithmetically when the used addresses end at a block boundary', () => {
    const used = Array.from({ length: 254 }, (_, i) => `10.0.0.${i + 1}`);
    expect(addressesOf(allocateOne({ 'cidr-global': '10.0.0.0/16' }, used))).toEqual(['10.0.1.1']);
  });
});

describe('allocateAddresses: held addresses never move (IP4)', () => {
  const config = kubevip({ 'cidr-global': '10.0.0.0/24' });

  it('should keep a held address even when a lower one is free', () => {
    const outcome = allocateOne({ 'cidr-global': '10.0.0.0/24' }, [], { held: ['10.0.0.77'] });
    expect(outcome.addresses).toEqual([
      { family: 'IPv4', address: '10.0.0.77', serviceAddress: '10.0.0.77', pool: 'kube-system/kubevip#cidr-global', origin: 'held' },
    ]);
  });

  it('should move an address that left the pool', () => {
    const outcome = allocateOne({ 'cidr-global': '10.0.0.0/28' }, [], { held: ['10.0.0.77'] });
    expect(outcome.addresses[0]).toMatchObject({ address: '10.0.0.1', origin: 'allocated' });
  });

  it('should move a held .0 or .255 address, which the pool never hands out', () => {
    expect(addressesOf(allocateOne({ 'cidr-global': '10.0.0.0/16' }, [], { held: ['10.0.1.0'] }))).toEqual(['10.0.0.1']);
  });

  it('should give a clashing address to the older Gateway and move the younger one', () => {
    const outcomes = allocateAddresses({
      gateways: [
        gateway('young', [config], { creationTimestamp: '2024-02-01T00:00:00Z', held: ['10.0.0.9'] }),
        gateway('old', [config], { creationTimestamp: '2024-01-01T00:00:00Z', held: ['10.0.0.9'] }),
      ],
      inUse: [],
      allowUnpooled: false,
    });
    expect(addressesOf(outcomes.get('default/old'))).toEqual(['10.0.0.9']);
    expect(addressesOf(outcomes.get('default/young'))).toEqual(['10.0.0.1']);
  });

  it('should resolve a clash between equally old Gateways by namespace/name', () => {
    const outcomes = allocateAddresses({
      gateways: [gateway('gw', [config], { namespace: 'b', held: ['10.0.0.9'] }), gateway('gw', [config], { namespace: 'a', held: ['10.0.0.9'] })],
      inUse: [],
      allowUnpooled: false,
    });
    expect(addressesOf(outcomes.get('a/gw'))).toEqual(['10.0.0.9']);
    expect(addressesOf(outcomes.get('b/gw'))).toEqual(['10.0.0.1']);
  });

  it('should keep a held address against a request of an older Gateway (held beats requested)', () => {
    const outcomes = allocateAddresses({
      gateways: [
        gateway('holder', [config], { creationTimestamp: '2024-05-01T00:00:00Z', held: ['10.0.0.9'] }),
        gateway('asker', [config], { creationTimestamp: '2024-01-01T00:00:00Z', requests: [{ value: '10.0.0.9' }] }),
      ],
      inUse: [],
      allowUnpooled: false,
    });
    expect(addressesOf(outcomes.get('default/holder'))).toEqual(['10.0.0.9']);
    expect(outcomes.get('default/asker')).toMatchObject({ reason: 'AddressNotUsable', addresses: [] });
    expect(outcomes.get('default/asker')!.message).toBe('requested address 10.0.0.9 is already assigned to Gateway default/holder');
  });

  it('should keep a held address that a foreign Service also carries, and say so', () => {
    const outcome = allocateAddresses({
      gateways: [gateway('gw', [config], { held: ['10.0.0.9'] })],
      inUse: [{ address: '10.0.0.9', holder: 'Service other/rogue', namespace: 'other' }],
      allowUnpooled: false,
    }).get('default/gw')!;
    expect(outcome.addresses[0]).toMatchObject({ address: '10.0.0.9', origin: 'held', alsoInUseBy: 'Service other/rogue' });
    expect(outcome.problems).toEqual([]);
  });

  it('should keep held addresses but assign nothing new while every namespace key is malformed', () => {
    const broken = kubevip({ 'cidr-default': '10.0.0.0/24,oops', 'range-global': '10.9.0.9-10.9.0.1' });
    const outcomes = allocateAddresses({
      gateways: [gateway('holder', [broken], { held: ['10.0.0.9'] }), gateway('new', [broken])],
      inUse: [],
      allowUnpooled: false,
    });
    expect(outcomes.get('default/holder')!.addresses).toEqual([{ family: 'IPv4', address: '10.0.0.9', serviceAddress: '10.0.0.9', origin: 'held' }]);
    expect(outcomes.get('default/new')).toMatchObject({ addresses: [], reason: 'AddressNotAssigned' });
    expect(outcomes.get('default/new')!.message).toContain('key cidr-default');
    expect(outcomes.get('default/new')!.message).toContain('"oops"');
  });

  it('should assign new addresses from the next key when one is malformed, and keep held addresses (IP2, IP4)', () => {
    const skipped = kubevip({ 'cidr-default': '10.0.0.0/24,oops', 'cidr-global': '10.9.0.0/24' });
    const outcomes = allocateAddresses({
      gateways: [
        gateway('holder', [skipped], { held: ['10.0.0.9'], creationTimestamp: '2024-01-01T00:00:00Z' }),
        gateway('in-next', [skipped], { held: ['10.9.0.7'], creationTimestamp: '2024-01-02T00:00:00Z' }),
        gateway('new', [skipped], { creationTimestamp: '2024-01-03T00:00:00Z' }),
      ],
      inUse: [],
      allowUnpooled: false,
    });
    expect(outcomes.get('default/holder')!.addresses).toEqual([{ family: 'IPv4', address: '10.0.0.9', serviceAddress: '10.0.0.9', origin: 'held' }]);
    expect(outcomes.get('default/in-next')!.addresses).toMatchObject([{ address: '10.9.0.7', origin: 'held', pool: 'kube-system/kubevip#cidr-global' }]);
    expect(outcomes.get('default/new')!.addresses).toMatchObject([{ address: '10.9.0.1', origin: 'allocated' }]);
    expect(outcomes.get('default/new')!.reason).toBeUndefined();
  });

  it('should release held addresses when the namespace has no pool key at all', () => {
    const outcome = allocateAddresses({ gateways: [gateway('gw', [kubevip({})], { held: ['10.0.0.9'] })], inUse: [], allowUnpooled: false }).get('default/gw')!;
    expect(outcome.addresses).toEqual([]);
    expect(outcome.reason).toBe('AddressNotAssigned');
  });

  it('should keep only as many held addresses as the Gateway wants, lowest first', () => {
    const outcome = allocateOne({ 'cidr-global': '10.0.0.0/24' }, [], { held: ['10.0.0.30', '10.0.0.20'] });
    expect(addressesOf(outcome)).toEqual(['10.0.0.20']);
  });

  it('should change nothing when run again on its own result (restart, resync)', () => {
    const gateways = [
      gateway('a', [config], { creationTimestamp: '2024-02-01T00:00:00Z' }),
      gateway('b', [config], { creationTimestamp: '2024-01-01T00:00:00Z', held: ['10.0.0.5'] }),
      gateway('c', [config], { requests: [{ value: '10.0.0.1' }, {}] }),
    ];
    const first = allocateAddresses({ gateways, inUse: [], allowUnpooled: false });
    const again = allocateAddresses({
      gateways: gateways.map((g) => ({ ...g, held: first.get(g.key)!.addresses.flatMap((a) => (a.address === undefined ? [] : [a.address])) })),
      inUse: [],
      allowUnpooled: false,
    });
    for (const g of gateways) expect(addressesOf(again.get(g.key))).toEqual(addressesOf(first.get(g.key)));
  });
});

describe('allocateAddresses: requested addresses (IP5)', () => {
  const config = kubevip({ 'cidr-global': '10.0.0.0/24' });
  const run = (gateways: GatewayIpamInput[], inUse: InUseAddress[] = [], allowUnpooled = false) => allocateAddresses({ gateways, inUse, allowUnpooled });

  it('should grant a free requested address inside the pool', () => {
    const outcome = run([gateway('gw', [config], { requests: [{ value: '10.0.0.50' }] })]).get('default/gw')!;
    expect(outcome.addresses).toEqual([
      { family: 'IPv4', address: '10.0.0.50', serviceAddress: '10.0.0.50', pool: 'kube-system/kubevip#cidr-global', origin: 'requested' },
    ]);
  });

  it('should treat an entry without value as "assign one"', () => {
    expect(addressesOf(run([gateway('gw', [config], { requests: [{}] })]).get('default/gw'))).toEqual(['10.0.0.1']);
  });

  it('should refuse an invalid address as AddressNotUsable naming it', () => {
    const outcome = run([gateway('gw', [config], { requests: [{ value: '10.0.0.300' }] })]).get('default/gw')!;
    expect(outcome).toMatchObject({ reason: 'AddressNotUsable', message: 'requested address "10.0.0.300" is not a valid IP address' });
  });

  it('should refuse an address outside the pools of the namespace', () => {
    const outcome = run([gateway('gw', [config], { requests: [{ value: '192.168.1.1' }] })]).get('default/gw')!;
    expect(outcome.reason).toBe('AddressNotUsable');
    expect(outcome.message).toBe('requested address 192.168.1.1 is outside the pools namespace "default" may use (kube-system/kubevip#cidr-global)');
  });

  it('should accept an address outside every pool with allowUnpooled, without a pool', () => {
    const outcome = run([gateway('gw', [config], { requests: [{ value: '192.168.1.1' }] })], [], true).get('default/gw')!;
    expect(outcome.addresses).toEqual([{ family: 'IPv4', address: '192.168.1.1', serviceAddress: '192.168.1.1', origin: 'requested' }]);
  });

  it('should refuse a .0 or .255 address inside the pool', () => {
    const outcome = allocateAddresses({
      gateways: [gateway('gw', [kubevip({ 'cidr-global': '10.0.0.0/16' })], { requests: [{ value: '10.0.1.255' }] })],
      inUse: [],
      allowUnpooled: false,
    }).get('default/gw')!;
    expect(outcome.message).toBe('requested address 10.0.1.255 ends in .0 or .255, which pool kube-system/kubevip#cidr-global never hands out');
  });

  it('should refuse an address another Gateway of the same namespace requested first, naming it', () => {
    const outcomes = run([
      gateway('first', [config], { creationTimestamp: '2024-01-01T00:00:00Z', requests: [{ value: '10.0.0.50' }] }),
      gateway('second', [config], { creationTimestamp: '2024-02-01T00:00:00Z', requests: [{ value: '10.0.0.50' }] }),
    ]);
    expect(addressesOf(outcomes.get('default/first'))).toEqual(['10.0.0.50']);
    expect(outcomes.get('default/second')!.message).toBe('requested address 10.0.0.50 is already assigned to Gateway default/first');
  });

  it("should not name another namespace's Gateway in the message", () => {
    const outcomes = run([
      gateway('secret', [config], { namespace: 'bank', creationTimestamp: '2024-01-01T00:00:00Z', requests: [{ value: '10.0.0.50' }] }),
      gateway('mine', [config], { namespace: 'shop', creationTimestamp: '2024-02-01T00:00:00Z', requests: [{ value: '10.0.0.50' }] }),
    ]);
    const problem = outcomes.get('shop/mine')!.problems[0]!;
    expect(problem.message).toBe('requested address 10.0.0.50 is already assigned to a Gateway in another namespace');
    expect(problem.message).not.toContain('bank');
    expect(problem.clashWith).toBe('Gateway bank/secret');
  });

  it('should refuse an address a Service uses, naming the Service only within the namespace', () => {
    const inUse: InUseAddress[] = [
      { address: '10.0.0.50', holder: 'Service default/web', namespace: 'default' },
      { address: '10.0.0.51', holder: 'Service bank/vault', namespace: 'bank' },
    ];
    const outcomes = run([gateway('a', [config], { requests: [{ value: '10.0.0.50' }] }), gateway('b', [config], { requests: [{ value: '10.0.0.51' }] })], inUse);
    expect(outcomes.get('default/a')!.message).toBe('requested address 10.0.0.50 is already in use by Service default/web');
    expect(outcomes.get('default/b')!.message).toBe('requested address 10.0.0.51 is already in use in another namespace');
    expect(outcomes.get('default/b')!.problems[0]!.clashWith).toBe('Service bank/vault');
  });

  it("should not count the Gateway's own generated Services as a clash", () => {
    const outcome = run(
      [gateway('gw', [config], { requests: [{ value: '10.0.0.50' }] })],
      [{ address: '10.0.0.50', holder: 'Service default/gw-l4gw', namespace: 'default', gateway: 'default/gw' }],
    ).get('default/gw')!;
    expect(addressesOf(outcome)).toEqual(['10.0.0.50']);
  });

  it('should give the remaining entries their addresses when one request is unusable', () => {
    const outcome = run([gateway('gw', [config], { requests: [{ value: 'nope' }, {}] })]).get('default/gw')!;
    expect(addressesOf(outcome)).toEqual(['10.0.0.1']);
    expect(outcome.reason).toBe('AddressNotUsable');
    expect(outcome.problems).toHaveLength(1);
  });

  it('should report AddressNotUsable when both kinds of problems occur', () => {
    const full = kubevip({ 'range-global': '10.0.0.1-10.0.0.1' });
    const outcome = allocateAddresses({
      gateways: [gateway('gw', [full], { requests: [{ value: '10.0.0.1' }, { value: 'bad' }, {}] })],
      inUse: [],
      allowUnpooled: false,
    }).get('default/gw')!;
    expect(addressesOf(outcome)).toEqual(['10.0.0.1']);
    expect(outcome.problems.map((p) => p.reason)).toEqual(['AddressNotUsable', 'AddressNotAssigned']);
    expect(outcome.reason).toBe('AddressNotUsable');
    expect(outcome.message).toContain('; ');
  });

  it('should canonicalise requested IPv6 addresses and treat duplicates as one', () => {
    const v6 = kubevip({ 'cidr-global': '2001:db8::/64' });
    const outcome = allocateAddresses({
      gateways: [gateway('gw', [v6], { requests: [{ value: '2001:DB8:0:0::5' }, { value: '2001:db8::5' }] })],
      inUse: [],
      allowUnpooled: false,
    }).get('default/gw')!;
    expect(addressesOf(outcome)).toEqual(['2001:db8::5']);
  });

  it('should keep a requested address the Gateway already holds even if a foreign Service appeared on it', () => {
    const outcome = run(
      [gateway('gw', [config], { requests: [{ value: '10.0.0.50' }], held: ['10.0.0.50'] })],
      [{ address: '10.0.0.50', holder: 'Service x/y', namespace: 'x' }],
    ).get('default/gw')!;
    expect(outcome.addresses[0]).toMatchObject({ address: '10.0.0.50', origin: 'requested', alsoInUseBy: 'Service x/y' });
  });

  it('should release the held address when the request changes to another one', () => {
    const outcomes = run([
      gateway('gw', [config], { creationTimestamp: '2024-01-01T00:00:00Z', requests: [{ value: '10.0.0.60' }], held: ['10.0.0.50'] }),
      gateway('later', [config], { creationTimestamp: '2024-02-01T00:00:00Z', requests: [{ value: '10.0.0.50' }] }),
    ]);
    expect(addressesOf(outcomes.get('default/gw'))).toEqual(['10.0.0.60']);
    expect(addressesOf(outcomes.get('default/later'))).toEqual(['10.0.0.50']);
  });
});

describe('allocateAddresses: several addresses and dual stack', () => {
  const dual = kubevip({ 'range-global': '10.0.0.1-10.0.0.2,2001:db8::1-2001:db8::2' });
  const run = (g: GatewayIpamInput, inUse: InUseAddress[] = []) => allocateAddresses({ gateways: [g], inUse, allowUnpooled: false }).get(g.key)!;

  it('should give one IPv4 address by default from a dual-stack pool (B.8)', () => {
    expect(addressesOf(run(gateway('gw', [dual])))).toEqual(['10.0.0.1']);
  });

  it('should give one IPv6 address by default from an IPv6-only pool', () => {
    expect(addressesOf(run(gateway('gw', [kubevip({ 'cidr-global': '2001:db8::/64' })])))).toEqual(['2001:db8::']);
  });

  it('should spread two valueless entries over both families', () => {
    expect(addressesOf(run(gateway('gw', [dual], { requests: [{}, {}] })))).toEqual(['10.0.0.1', '2001:db8::1']);
  });

  it('should give the valueless entry the family a requested value does not cover', () => {
    expect(addressesOf(run(gateway('gw', [dual], { requests: [{ value: '10.0.0.2' }, {}] })))).toEqual(['10.0.0.2', '2001:db8::1']);
  });

  it('should give one address per family of families', () => {
    const outcome = run(gateway('gw', [dual], { families: ['IPv6', 'IPv4'] }));
    expect(addressesOf(outcome)).toEqual(['2001:db8::1', '10.0.0.1']);
  });

  it('should report a wanted family the pool lacks, keeping the other', () => {
    const v4 = kubevip({ 'range-global': '10.0.0.1-10.0.0.2' });
    const outcome = run(gateway('gw', [v4], { families: ['IPv4', 'IPv6'] }));
    expect(addressesOf(outcome)).toEqual(['10.0.0.1']);
    expect(outcome).toMatchObject({ reason: 'AddressNotAssigned' });
    expect(outcome.message).toContain('no IPv6 addresses in the pools of namespace "default"');
  });

  it('should fall back to the other family when the preferred one is exhausted', () => {
    const outcome = run(gateway('gw', [dual]), [
      { address: '10.0.0.1', holder: 'Service a/b', namespace: 'a' },
      { address: '10.0.0.2', holder: 'Service a/c', namespace: 'a' },
    ]);
    expect(addressesOf(outcome)).toEqual(['2001:db8::1']);
  });

  it('should keep held addresses of both families on a dual-stack Gateway', () => {
    const outcome = run(gateway('gw', [dual], { requests: [{}, {}], held: ['2001:db8::2', '10.0.0.2'] }));
    expect(addressesOf(outcome)).toEqual(['10.0.0.2', '2001:db8::2']);
  });
});

describe('allocateAddresses: DHCP pools (DP7)', () => {
  const dhcp = kubevip({ 'cidr-global': '0.0.0.0/32' });

  it('should give the 0.0.0.0 marker for Services and wait for the lease', () => {
    const outcome = allocateAddresses({ gateways: [gateway('gw', [dhcp])], inUse: [], allowUnpooled: false }).get('default/gw')!;
    expect(outcome.addresses).toEqual([{ family: 'IPv4', serviceAddress: DHCP_ADDRESS, pool: 'kube-system/kubevip#cidr-global', origin: 'dhcp' }]);
    expect(outcome.reason).toBe('AddressNotAssigned');
    expect(outcome.message).toContain('waiting for the DHCP lease');
  });

  it('should give every Gateway of a DHCP pool the marker (it is not an address)', () => {
    const outcomes = allocateAddresses({ gateways: [gateway('a', [dhcp]), gateway('b', [dhcp])], inUse: [], allowUnpooled: false });
    expect(outcomes.get('default/b')!.addresses[0]!.serviceAddress).toBe(DHCP_ADDRESS);
  });

  it('should publish the lease once it is read back into held', () => {
    const outcome = allocateAddresses({ gateways: [gateway('gw', [dhcp], { held: ['192.168.1.57'] })], inUse: [], allowUnpooled: false }).get('default/gw')!;
    expect(outcome.addresses).toEqual([
      { family: 'IPv4', address: '192.168.1.57', serviceAddress: DHCP_ADDRESS, pool: 'kube-system/kubevip#cidr-global', origin: 'dhcp' },
    ]);
    expect(outcome.problems).toEqual([]);
  });

  it('should refuse a requested value in a DHCP namespace (it is in no pool)', () => {
    const outcome = allocateAddresses({ gateways: [gateway('gw', [dhcp], { requests: [{ value: '10.0.0.5' }] })], inUse: [], allowUnpooled: false }).get('default/gw')!;
    expect(outcome.reason).toBe('AddressNotUsable');
  });
});

describe('allocateAddresses: determinism', () => {
  it('should return outcomes keyed and ordered by age whatever the input order', () => {
    const config: IpamConfig = parseIpamConfigMap({ namespace: 'ns', name: 'cm' }, { 'range-global': '10.0.0.1-10.0.0.9' });
    const gws = ['c', 'a', 'b'].map((name) => gateway(name, [config]));
    const forward = allocateAddresses({ gateways: gws, inUse: [], allowUnpooled: false });
    const backward = allocateAddresses({ gateways: [...gws].reverse(), inUse: [], allowUnpooled: false });
    expect([...forward.keys()]).toEqual(['default/a', 'default/b', 'default/c']);
    expect([...backward.entries()]).toEqual([...forward.entries()]);
  });

  it('should sort a Gateway without creationTimestamp after the dated ones', () => {
    const config = kubevip({ 'range-global': '10.0.0.1-10.0.0.9' });
    const { creationTimestamp: _drop, ...undated } = gateway('a', [config]);
    const outcomes = allocateAddresses({ gateways: [undated, gateway('z', [config])], inUse: [], allowUnpooled: false });
    expect(addressesOf(outcomes.get('default/z'))).toEqual(['10.0.0.1']);
  });
});

describe('allocateAddresses: addresses held back after a release (IP8)', () => {
  const config = kubevip({ 'range-global': '10.0.0.10-10.0.0.11' });
  const allocate = (gateways: GatewayIpamInput[], heldBack: string[]) => allocateAddresses({ gateways, inUse: [], allowUnpooled: false, heldBack });

  it('should hand out the next free address instead of one held back', () => {
    const outcomes = allocate([gateway('new', [config])], ['10.0.0.10']);
    expect(addressesOf(outcomes.get('default/new')!)).toEqual(['10.0.0.11']);
  });

  it('should leave a Gateway without an address, saying why, when only held-back addresses are free', () => {
    const outcome = allocate([gateway('new', [config])], ['10.0.0.10', '10.0.0.11', 'not-an-ip']).get('default/new')!;
    expect(addressesOf(outcome)).toEqual([]);
    expect(outcome.reason).toBe('AddressNotAssigned');
    expect(outcome.message).toBe('pool kube-system/kubevip#range-global has no free IPv4 address left (2 addresses released a moment ago are held back briefly)');
  });

  it('should keep a held address and grant a requested one even when held back', () => {
    const outcomes = allocate(
      [gateway('holder', [config], { held: ['10.0.0.10'] }), gateway('asker', [config], { requests: [{ value: '10.0.0.11' }] })],
      ['10.0.0.10', '10.0.0.11'],
    );
    expect(addressesOf(outcomes.get('default/holder')!)).toEqual(['10.0.0.10']);
    expect(addressesOf(outcomes.get('default/asker')!)).toEqual(['10.0.0.11']);
  });
});
