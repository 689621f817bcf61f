// fast-check properties of the allocator (docs/architecture.md, Testing: no duplicates, inside pool, stable,
// deterministic, order-independent). Small pools around an octet boundary keep runs fast and
// make the `.0`/`.255` rule, exhaustion and clashes frequent.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalAddress, formatAddress, isExcludedAddress, parseAddress } from './address.js';
import type { AllocationInput, AllocationOutcome, GatewayIpamInput, InUseAddress } from './allocation.js';
import { allocateAddresses } from './allocator.js';
import { parseIpamConfigMap, type IpamConfig } from './config.js';
import { poolsForNamespace } from './selection.js';

const RUNS = { numRuns: 1000 };
const NAMESPACES = ['a', 'b', 'c'];

/** Addresses around the 10.0.0.255 / 10.0.1.0 boundary and a few IPv6 ones, plus junk. */
const v4 = fc.integer({ min: 244, max: 268 }).map((n) => `10.0.${n >> 8}.${n & 255}`);
const v6 = fc.integer({ min: 0, max: 12 }).map((n) => `2001:db8::${n.toString(16)}`);
const address = fc.oneof({ weight: 6, arbitrary: v4 }, { weight: 2, arbitrary: v6 }, { weight: 1, arbitrary: fc.constantFrom('junk', '10.0.0.300', '') });

const poolValue = fc.oneof(
  fc.tuple(v4, v4).map(([x, y]) => `${x}-${y}`),
  fc.constantFrom('10.0.0.248/29', '10.0.0.252/30,10.0.1.0/30', '10.0.0.250-10.0.1.3', '2001:db8::/125', '10.0.0.254-10.0.1.1,2001:db8::1-2001:db8::3'),
);

/** A kube-vip ConfigMap with a global pool, maybe per-namespace pools, maybe desc and skip-end. */
const configArb = fc
  .record({
    global: poolValue,
    globalKind: fc.constantFrom('cidr-global', 'range-global'),
    perNamespace: fc.dictionary(fc.constantFrom(...NAMESPACES.map((n) => `range-${n}`), ...NAMESPACES.map((n) => `cidr-${n}`)), poolValue, { maxKeys: 2 }),
    desc: fc.boolean(),
    skip: fc.boolean(),
  })
  .map(({ global, globalKind, perNamespace, desc, skip }) => {
    const data: Record<string, string> = { ...perNamespace, [globalKind]: global };
    if (desc) data['search-order'] = 'desc';
    if (skip) data['skip-end-ips-in-cidr'] = 'true';
    return parseIpamConfigMap({ namespace: 'kube-system', name: 'kubevip' }, data);
  });

const gatewaySpec = fc.record({
  name: fc.constantFrom('g1', 'g2', 'g3', 'g4', 'g5', 'g6'),
  namespace: fc.constantFrom(...NAMESPACES),
  day: fc.integer({ min: 1, max: 4 }),
  held: fc.array(address, { maxLength: 2 }),
  requests: fc.oneof(
    { weight: 3, arbitrary: fc.constant([]) },
    { weight: 2, arbitrary: fc.array(fc.option(address, { nil: undefined }).map((value) => (value === undefined ? {} : { value })), { minLength: 1, maxLength: 3 }) },
  ),
  families: fc.option(fc.constantFrom<GatewayIpamInput['families']>(['IPv4'], ['IPv6'], ['IPv4', 'IPv6']), { nil: undefined }),
});

const inUseArb = fc.array(
  fc.record({ address, holder: fc.constantFrom('Service x/s1', 'Service y/s2'), namespace: fc.constantFrom('x', 'y') }),
  { maxLength: 6 },
);

type GatewaySpec = typeof gatewaySpec extends fc.Arbitrary<infer T> ? T : never;

function toGateway(config: IpamConfig, spec: GatewaySpec): GatewayIpamInput {
  return {
    key: `${spec.namespace}/${spec.name}`,
    namespace: spec.namespace,
    creationTimestamp: `2024-01-0${spec.day}T00:00:00Z`,
    held: spec.held,
    requests: spec.requests,
    pools: poolsForNamespace([config], spec.namespace),
    ...(spec.families === undefined ? {} : { families: spec.families }),
  };
}

const worldArb = fc
  .record({ config: configArb, specs: fc.uniqueArray(gatewaySpec, { maxLength: 10, selector: (s) => `${s.namespace}/${s.name}` }), inUse: inUseArb, allowUnpooled: fc.boolean() })
  .map(({ config, specs, inUse, allowUnpooled }) => ({
    config,
    input: { gateways: specs.map((s) => toGateway(config, s)), inUse, allowUnpooled } satisfies AllocationInput,
  }));

function heldFromResult(input: AllocationInput, outcomes: Map<string, AllocationOutcome>): AllocationInput {
  return {
    ...input,
    gateways: input.gateways.map((g) => ({ ...g, held: outcomes.get(g.key)!.addresses.flatMap((a) => (a.address === undefined ? [] : [a.address])) })),
  };
}

function assignedAddresses(outcomes: Map<string, AllocationOutcome>): string[] {
  return [...outcomes.values()].flatMap((o) => o.addresses.flatMap((a) => (a.address === undefined ? [] : [a.address])));
}

describe('allocateAddresses properties', () => {
  it('should never hand out an address twice, nor allocate one in use elsewhere', () => {
    fc.assert(
      fc.property(worldArb, ({ input }) => {
        const outcomes = allocateAddresses(input);
        const all = assignedAddresses(outcomes);
        expect(new Set(all).size).toBe(all.length);
        const elsewhere = new Set(input.inUse.map((u) => formatAddress(parseAddress(u.address) ?? { family: 'IPv4', value: 0n })));
        for (const o of outcomes.values()) {
          for (const a of o.addresses) if (a.origin === 'allocated') expect(elsewhere.has(a.address!)).toBe(false);
        }
        // A request the Gateway did not already hold is only granted when nothing else uses it (IP5).
        for (const g of input.gateways) {
          const held = new Set(g.held.map((h) => formatAddress(parseAddress(h) ?? { family: 'IPv4', value: 0n })));
          for (const a of outcomes.get(g.key)!.addresses) {
            if (a.origin !== 'requested' || held.has(a.address!)) continue;
            expect(input.inUse.some((u: InUseAddress) => u.address === a.address && u.gateway !== g.key)).toBe(false);
          }
        }
      }),
      RUNS,
    );
  }, 60_000);

  it("should only give addresses inside a pool the Gateway's namespace may use", () => {
    fc.assert(
      fc.property(worldArb, ({ input }) => {
        const outcomes = allocateAddresses({ ...input, allowUnpooled: false });
        for (const g of input.gateways) {
          for (const a of outcomes.get(g.key)!.addresses) {
            if (a.origin === 'dhcp') continue;
            const parsed = parseAddress(a.address)!;
            expect(isExcludedAddress(parsed.family, parsed.value)).toBe(false);
            const inside = g.pools.pools.some((pool) =>
              pool.ranges[parsed.family].some((r) => r.first <= parsed.value && parsed.value <= r.last),
            );
            // Only a broken pool configuration (keepHeld), or a malformed key skipped for a later
            // one, keeps an address it cannot check; and then only an address the Gateway held.
            const canKeep = g.pools.unavailable?.keepHeld === true || g.pools.skippedMalformed !== undefined;
            const held = g.held.some((h) => parseAddress(h)?.value === parsed.value);
            expect(inside || (canKeep && a.origin !== 'allocated' && held)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  }, 60_000);

  it('should not depend on the order of Gateways or of addresses in use', () => {
    fc.assert(
      fc.property(worldArb, fc.infiniteStream(fc.double({ noNaN: true })), ({ input }, randoms) => {
        const r = [...randoms.take(input.gateways.length + input.inUse.length + 8)];
        const shuffle = <T>(xs: readonly T[], offset: number): T[] =>
          xs.map((x, i) => ({ x, k: r[(i + offset) % r.length]! })).sort((p, q) => p.k - q.k).map((p) => p.x);
        const shuffled: AllocationInput = {
          ...input,
          gateways: shuffle(input.gateways, 0).map((g) => ({ ...g, held: shuffle(g.held, 3) })),
          inUse: shuffle(input.inUse, input.gateways.length),
        };
        expect([...allocateAddresses(shuffled).entries()]).toEqual([...allocateAddresses(input).entries()]);
      }),
      RUNS,
    );
  }, 60_000);

  it('should change nothing when allocating again from its own result', () => {
    fc.assert(
      fc.property(worldArb, ({ input }) => {
        const first = allocateAddresses(input);
        const again = allocateAddresses(heldFromResult(input, first));
        for (const [key, outcome] of first) {
          expect(again.get(key)!.addresses.map((a) => [a.address, a.serviceAddress, a.family, a.pool])).toEqual(
            outcome.addresses.map((a) => [a.address, a.serviceAddress, a.family, a.pool]),
          );
          expect(again.get(key)!.reason).toBe(outcome.reason);
        }
      }),
      RUNS,
    );
  }, 60_000);

  it('should never move a valid held address when new Gateways or unrelated uses appear', () => {
    fc.assert(
      fc.property(worldArb, fc.array(gatewaySpec, { maxLength: 4 }), inUseArb, ({ config, input }, newcomers, extraUses) => {
        // A settled cluster: every Gateway holds what the allocator gave it.
        const settled = heldFromResult(input, allocateAddresses(input));
        const before = allocateAddresses(settled);
        const held = new Set(assignedAddresses(before));
        const existing = new Set(settled.gateways.map((g) => g.key));
        const later: GatewayIpamInput[] = newcomers
          .map((s) => ({ ...toGateway(config, s), key: `${s.namespace}/new-${s.name}`, creationTimestamp: '2024-06-01T00:00:00Z' }))
          .filter((g) => !existing.has(g.key));
        // Unrelated uses: other addresses only (a use of a held address is not "unrelated").
        const unrelated: InUseAddress[] = extraUses.filter((u) => !held.has(formatAddress(parseAddress(u.address) ?? { family: 'IPv4', value: 0n })));
        const after = allocateAddresses({ ...settled, gateways: [...settled.gateways, ...later], inUse: [...settled.inUse, ...unrelated] });
        for (const g of settled.gateways) {
          expect(after.get(g.key)!.addresses.map((a) => a.address)).toEqual(before.get(g.key)!.addresses.map((a) => a.address));
        }
      }),
      RUNS,
    );
  }, 60_000);

  it('should allocate no held-back address fresh, and change nothing else a settled cluster holds (IP8)', () => {
    fc.assert(
      fc.property(worldArb, fc.array(address, { maxLength: 4 }), fc.array(gatewaySpec, { maxLength: 3 }), ({ config, input }, heldBack, newcomers) => {
        const settled = heldFromResult(input, allocateAddresses(input));
        const before = allocateAddresses(settled);
        const existing = new Set(settled.gateways.map((g) => g.key));
        const later = newcomers
          .map((s) => ({ ...toGateway(config, s), key: `${s.namespace}/new-${s.name}`, held: [], creationTimestamp: '2024-06-01T00:00:00Z' }))
          .filter((g) => !existing.has(g.key));
        const after = allocateAddresses({ ...settled, gateways: [...settled.gateways, ...later], heldBack });
        for (const g of settled.gateways) {
          expect(after.get(g.key)!.addresses.map((a) => a.address)).toEqual(before.get(g.key)!.addresses.map((a) => a.address));
        }
        const heldBackCanonical = new Set(heldBack.map((a) => canonicalAddress(a)));
        for (const g of later) {
          for (const a of after.get(g.key)!.addresses) {
            if (a.origin === 'allocated') expect(heldBackCanonical.has(a.address!), `${g.key} got held-back ${a.address}`).toBe(false);
          }
        }
      }),
      RUNS,
    );
  }, 60_000);

  it('should never throw on malformed Gateway inputs', () => {
    const junk = fc.oneof(fc.string(), fc.anything()) as fc.Arbitrary<string>;
    fc.assert(
      fc.property(configArb, fc.array(fc.record({ held: fc.array(junk, { maxLength: 3 }), requests: fc.array(fc.record({ value: junk }), { maxLength: 2 }) }), { maxLength: 4 }), (config, specs) => {
        const gateways = specs.map((s, i) => ({ key: `a/g${i}`, namespace: 'a', held: s.held, requests: s.requests, pools: poolsForNamespace([config], 'a') }));
        expect(() => allocateAddresses({ gateways, inUse: [{ address: 42 as unknown as string, holder: 'x' }], allowUnpooled: false })).not.toThrow();
      }),
      RUNS,
    );
  }, 60_000);
});
