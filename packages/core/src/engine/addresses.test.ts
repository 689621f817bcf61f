// The remembered address assignment after one Gateway added or removed, or a Service replaced, against assignAddresses
// computed afresh from the same request. Each case also checks that the patch it was written for
// ran (the allocator's run carried on rather than a new one), so a patch that declines cannot
// pass for one that answers.

import { describe, expect, it } from 'vitest';
import { assignAddresses, type AddressRequest, type AddressResult } from '../gateway/addresses.js';
import { PURE_RESOLUTION_STEPS, resolveParsed } from '../gateway/resolve.js';
import { parseSnapshot } from '../parse/snapshot.js';
import { gateway, kubevip, options, service, snapshot } from '../gateway/test-support.js';
import type { GatewayContext } from '../model/context.js';
import { rememberedAddresses, type AddressMemory } from './addresses.js';
import { reconcile } from '../reconcile.js';
import { createEngine, type Delta } from './engine.js';
import type { Snapshot } from '../model/snapshot.js';

const OPTIONS = options();
const LISTENERS = [{ name: 'tcp', port: 80 }];

/** The request resolution makes of the snapshot's objects (one parse: the same instances throughout). */
function requestOf(objects: Parameters<typeof snapshot>[0]): AddressRequest {
  let request: AddressRequest | undefined;
  resolveParsed(parseSnapshot(snapshot(objects)), OPTIONS, {
    ...PURE_RESOLUTION_STEPS,
    assignAddresses: (r, o) => {
      request = r;
      return assignAddresses(r, o);
    },
  });
  return request!;
}

/** `request` with only the accepted Gateways `names`, as the engine asks after Gateways come and go. */
function withGateways(request: AddressRequest, names: readonly string[]): AddressRequest {
  return { ...request, accepted: request.accepted.filter((ctx: GatewayContext) => names.includes(ctx.gateway.meta.name)) };
}

/** The result with its assignments as a plain Map in key order (a patch's map is looked up by key only, in any order). */
function plain(result: AddressResult) {
  return { ...result, assignments: new Map([...result.assignments].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

/** Asks `memory` for each request in turn; each answer must be the one computed afresh. Returns whether each carried the run on. */
function carriedOn(memory: AddressMemory, requests: readonly AddressRequest[]): boolean[] {
  return requests.map((request, i) => {
    const run = memory.last?.allocation;
    expect(plain(rememberedAddresses(request, OPTIONS, memory)), `step ${i}`).toEqual(plain(assignAddresses(request, OPTIONS)));
    return run !== undefined && memory.last?.allocation === run;
  });
}

const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}Z`;
const status = (...addresses: string[]) => ({ status: { addresses: addresses.map((value) => ({ type: 'IPAddress', value })) } });
// Two pools overlap (the team one is reported too), both families, a range across .255 and .0.
const POOLS = kubevip({ 'range-global': '10.0.0.253-10.0.1.2,2001:db8::1-2001:db8::4', 'cidr-team': '10.0.0.0/23' });

/** a, b and c holding their addresses in their status, and n, newest, holding nothing. */
const holdingThenNewest = (): unknown[] => [
  gateway('a', LISTENERS, { creationTimestamp: at(1), ...status('10.0.0.253') }),
  gateway('b', LISTENERS, { creationTimestamp: at(2), ...status('10.0.0.254') }),
  gateway('c', LISTENERS, { creationTimestamp: at(3), ...status('10.0.1.1') }),
  gateway('n', LISTENERS, { creationTimestamp: at(4) }),
];

describe('remembered addresses', () => {
  it('should undo the newest Gateway removed and carry the run on with one added again, pool usage counted on (IP7)', () => {
    // n1 takes .254 (.255 and 1.0 are skipped), n2 two valueless addresses: 1.1 and an IPv6 one.
    const full = requestOf({
      configMaps: [POOLS],
      gateways: [
        gateway('a', LISTENERS, { creationTimestamp: at(1) }),
        gateway('n1', LISTENERS, { creationTimestamp: at(2) }),
        gateway('n2', LISTENERS, { creationTimestamp: at(3), addresses: [{ type: 'IPAddress' }, { type: 'IPAddress' }] }),
      ],
    });
    const memory: AddressMemory = {};
    const steps = [['a'], ['a', 'n1'], ['a'], ['a', 'n1'], ['a', 'n1', 'n2'], ['a', 'n1'], ['a'], ['a', 'n1', 'n2'].slice(0, 2), ['a', 'n1', 'n2']];
    expect(carriedOn(memory, steps.map((names) => withGateways(full, names)))).toEqual([false, true, true, true, true, true, true, true, true]);
    expect(memory.last?.leftOut.size).toBe(0);
  });

  it('should carry the run on after a removal when what the removed Gateway held is still in use (its Service)', () => {
    const labels = { 'gateway.networking.k8s.io/gateway-name': 'b', 'l4gw.io/gateway-namespace': 'default', 'app.kubernetes.io/managed-by': 'l4gw' };
    const full = requestOf({
      configMaps: [POOLS],
      gateways: holdingThenNewest(),
      // b's generated Service keeps .254 in use after b is gone, until plan deletes it.
      services: [service('b-l4', [{ port: 80 }], { type: 'LoadBalancer', labels, loadBalancerIP: '10.0.0.254' })],
    });
    const memory: AddressMemory = {};
    // Without b (left out: the others kept what they hold), then n, newest: it gets 1.2, not .254.
    expect(carriedOn(memory, [withGateways(full, ['a', 'b', 'c']), withGateways(full, ['a', 'c']), withGateways(full, ['a', 'c', 'n'])])).toEqual([false, true, true]);
    expect(memory.last?.result.assignments.get('default/n')).toEqual({ kind: 'assigned', addresses: ['10.0.1.2'] });
  });

  it('should run afresh for a Gateway added after a removal that freed an address', () => {
    const full = requestOf({
      configMaps: [POOLS],
      gateways: holdingThenNewest(),
    });
    const memory: AddressMemory = {};
    // b left out frees .254 (pool usage one less); n then takes it, which only a new run gives.
    expect(carriedOn(memory, [withGateways(full, ['a', 'b', 'c']), withGateways(full, ['a', 'c']), withGateways(full, ['a', 'c', 'n'])])).toEqual([false, true, false]);
    expect(memory.last?.result.assignments.get('default/n')).toEqual({ kind: 'assigned', addresses: ['10.0.0.254'] });
  });

  it('should answer again for the same request, and not for one whose Services changed', () => {
    const full = requestOf({ configMaps: [POOLS], gateways: [gateway('a', LISTENERS)], services: [service('s', [{ port: 80 }])] });
    const memory: AddressMemory = {};
    const first = rememberedAddresses(full, OPTIONS, memory);
    expect(rememberedAddresses({ ...full, accepted: [...full.accepted] }, OPTIONS, memory)).toBe(first);
    const holder = requestOf({ configMaps: [POOLS], gateways: [gateway('a', LISTENERS)], services: [service('s', [{ port: 80 }], { type: 'LoadBalancer', loadBalancerIP: '10.0.0.253' })] });
    const changed = { ...full, services: holder.services };
    expect(plain(rememberedAddresses(changed, OPTIONS, memory))).toEqual(plain(assignAddresses(changed, OPTIONS)));
    expect(rememberedAddresses(changed, OPTIONS, memory).assignments.get('default/a')).toEqual({ kind: 'assigned', addresses: ['10.0.0.254'] });
  });

  it('should give an engine the pure result after the newest Gateway is created, deleted and another created', () => {
    // The Gateway created last takes the address the deleted one had: the run without it gives that.
    const { now: _now, ...engineOptions } = OPTIONS;
    let current: Snapshot = snapshot({ configMaps: [POOLS], gateways: [gateway('a', LISTENERS, { creationTimestamp: at(1) })] });
    const engine = createEngine(engineOptions);
    engine.apply(...(['gatewayClasses', 'gateways', 'configMaps'] as const).map((list): Delta => ({ type: 'relist', list, objects: current[list] })));
    expect(engine.reconcile(OPTIONS.now)).toEqual(reconcile(current, OPTIONS));
    const gateways = current.gateways;
    for (const [name, second] of [['n', 2], ['m', 3], ['m', 4]] as const) {
      const added = gateway(name, LISTENERS, { creationTimestamp: at(second) });
      engine.apply({ type: 'upsert', list: 'gateways', object: added });
      current = { ...current, gateways: [...gateways, added] };
      const desired = engine.reconcile(OPTIONS.now);
      expect(desired, `with ${name}`).toEqual(reconcile(current, OPTIONS));
      expect(desired.addresses.find((a) => a.gateway.name === name)?.address, name).toBe('10.0.0.254');
      engine.apply({ type: 'delete', list: 'gateways', namespace: 'default', name });
      current = { ...current, gateways };
      expect(engine.reconcile(OPTIONS.now), `without ${name}`).toEqual(reconcile(current, OPTIONS));
    }
  });

  it('should give the remembered result for a new version of a Gateway that IPAM reads alike, and not for one with other addresses', () => {
    const objects = { gateways: [gateway('a', LISTENERS, { ...status('10.0.0.10'), creationTimestamp: at(1) }), gateway('b', LISTENERS, { creationTimestamp: at(2) })], configMaps: [kubevip()] };
    const memory: AddressMemory = {};
    const request = requestOf(objects);
    const first = rememberedAddresses(request, OPTIONS, memory);
    /** `request` with A's parsed Gateway swapped for the one parsed from `version`, everything else the same instances. */
    const withVersionOfA = (version: unknown): AddressRequest => ({
      ...request,
      accepted: [{ ...request.accepted[0]!, gateway: requestOf({ ...objects, gateways: [version, objects.gateways[1]!] }).accepted[0]!.gateway }, request.accepted[1]!],
    });
    // A's status written back with other conditions and listeners: a new object, the same addresses.
    const again = withVersionOfA(gateway('a', [{ name: 'tcp', port: 81 }], { ...status('10.0.0.10'), creationTimestamp: at(1) }));
    expect(again.accepted[0]!.gateway).not.toBe(request.accepted[0]!.gateway);
    expect(rememberedAddresses(again, OPTIONS, memory)).toBe(first);
    expect(plain(first)).toEqual(plain(assignAddresses(again, OPTIONS)));
    // Another written address is read: assigned afresh.
    const moved = withVersionOfA(gateway('a', LISTENERS, { ...status('10.0.0.12'), creationTimestamp: at(1) }));
    const after = rememberedAddresses(moved, OPTIONS, memory);
    expect(after).not.toBe(first);
    expect(plain(after)).toEqual(plain(assignAddresses(moved, OPTIONS)));
  });

  it('should keep its work for a generated Service announced with the address it asks for, and not for one announced with another', () => {
    const labels = { 'gateway.networking.k8s.io/gateway-name': 'a', 'l4gw.io/gateway-namespace': 'default', 'app.kubernetes.io/managed-by': 'l4gw' };
    const generated = (ingress: string[]) => service('a-l4', [{ port: 80 }], { type: 'LoadBalancer', labels, loadBalancerIP: '10.0.0.253', ingress });
    const objects = { configMaps: [POOLS], gateways: [gateway('a', LISTENERS, { creationTimestamp: at(1), ...status('10.0.0.253') }), gateway('b', LISTENERS, { creationTimestamp: at(2) })], services: [generated([])] };
    const request = requestOf(objects);
    /** `request` with the generated Service parsed from `version`, everything else the same instances. */
    const withVersion = (version: unknown): AddressRequest => ({ ...request, services: requestOf({ ...objects, services: [version] }).services });
    const memory: AddressMemory = {};
    const first = rememberedAddresses(request, OPTIONS, memory);
    const announced = withVersion(generated(['10.0.0.253']));
    expect(announced.services[0]).not.toBe(request.services[0]);
    expect(rememberedAddresses(announced, OPTIONS, memory)).toBe(first);
    expect(plain(first)).toEqual(plain(assignAddresses(announced, OPTIONS)));
    // Announced with b's address: a new use of it, which IPAM reads (b is told another holds it).
    const elsewhere = withVersion(generated(['10.0.0.254']));
    const after = rememberedAddresses(elsewhere, OPTIONS, memory);
    expect(after).not.toBe(first);
    expect(plain(after)).toEqual(plain(assignAddresses(elsewhere, OPTIONS)));
  });

  it('should read a DHCP lease written into a generated Service that already named the address (DP7)', () => {
    // The Service names .6 from the start; only its status says the lease is .6 now, not the .5 in the Gateway's status.
    const labels = { 'gateway.networking.k8s.io/gateway-name': 'a', 'l4gw.io/gateway-namespace': 'default', 'app.kubernetes.io/managed-by': 'l4gw' };
    const generated = (ingress: string[]) => service('a-l4', [{ port: 80 }], { type: 'LoadBalancer', labels, loadBalancerIP: '192.168.1.6', ingress });
    const objects = { configMaps: [kubevip({ 'cidr-global': '0.0.0.0/32' })], gateways: [gateway('a', LISTENERS, { creationTimestamp: at(1), ...status('192.168.1.5') })], services: [generated([])] };
    const request = requestOf(objects);
    const leased = { ...request, services: requestOf({ ...objects, services: [generated(['192.168.1.6'])] }).services };
    const memory: AddressMemory = {};
    expect(rememberedAddresses(request, OPTIONS, memory).assignments.get('default/a')).toEqual({ kind: 'dhcp', addresses: ['192.168.1.5'] });
    const after = rememberedAddresses(leased, OPTIONS, memory);
    expect(after.assignments.get('default/a')).toEqual({ kind: 'dhcp', addresses: ['192.168.1.6'] });
    expect(plain(after)).toEqual(plain(assignAddresses(leased, OPTIONS)));
  });
});
