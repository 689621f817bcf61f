// The engine after the deltas its memory patches rather than recomputes (a Service added that a
// route is waiting for, objects appended and removed), against the pure reconcile of the same
// objects. The properties (test/properties/engine.properties.test.ts) draw such sequences at
// random; these name the cases the patches were written for.

import { describe, expect, it } from 'vitest';
import { reconcile } from '../reconcile.js';
import type { Snapshot } from '../model/snapshot.js';
import { backend, configMap, endpointSlice, gateway, listenerSet, NOW, options, parent, service, snapshot, tcpRoute } from '../gateway/test-support.js';
import { createEngine, type Delta } from './engine.js';

const { now: _now, ...ENGINE_OPTIONS } = options();

function engineWith(s: Snapshot) {
  const engine = createEngine(ENGINE_OPTIONS);
  engine.apply(...(['gatewayClasses', 'gateways', 'tcpRoutes', 'services', 'endpointSlices', 'configMaps'] as const).map((list): Delta => ({ type: 'relist', list, objects: s[list] })));
  return engine;
}

const port = [{ name: 'tcp', port: 80, protocol: 'TCP', targetPort: 8080 }];

describe('engine', () => {
  it('should resolve a route again when the Service it names is added, and not when another one is', () => {
    const start = snapshot({
      gateways: [gateway('gw', [{ name: 'tcp', port: 80 }])],
      tcpRoutes: [tcpRoute('waiting', [parent('gw')], [backend('later', 80)]), tcpRoute('served', [parent('gw', { sectionName: 'tcp' })], [backend('here', 80)])],
      services: [service('here', port)],
    });
    const engine = engineWith(start);
    expect(engine.reconcile(NOW)).toEqual(reconcile(start, options()));

    const unrelated = service('unrelated', port);
    engine.apply({ type: 'upsert', list: 'services', object: unrelated });
    const withUnrelated = { ...start, services: [...start.services, unrelated] };
    expect(engine.reconcile(NOW)).toEqual(reconcile(withUnrelated, options()));

    const later = service('later', port);
    engine.apply({ type: 'upsert', list: 'services', object: later });
    const withLater = { ...withUnrelated, services: [...withUnrelated.services, later] };
    expect(engine.reconcile(NOW)).toEqual(reconcile(withLater, options()));

    engine.apply({ type: 'delete', list: 'services', namespace: 'default', name: 'here' });
    const withoutHere = { ...withLater, services: withLater.services.filter((s) => s !== start.services[0]) };
    expect(engine.reconcile(NOW)).toEqual(reconcile(withoutHere, options()));
  });

  it('should give the pure result when a route waits for its Service while another Gateway goes, and the Service comes', () => {
    // A Gateway added whose route's Service comes later; another Gateway removed with its route, Service and slice; then the Service.
    const listeners = [{ name: 'l1', port: 80 }];
    const kept = gateway('g1', listeners);
    const gone = gateway('b0', listeners);
    const goneRoute = tcpRoute('b0-r0', [parent('b0', { sectionName: 'l1' })], [backend('b0-s0', 80)]);
    const goneService = service('b0-s0', port);
    const goneSlice = endpointSlice('b0-s0-x', 'b0-s0', [], { port: 8080 });
    let current = snapshot({ gateways: [kept, gone], tcpRoutes: [goneRoute], services: [goneService], endpointSlices: [goneSlice] });
    const engine = engineWith(current);
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));

    const added = gateway('b1', listeners);
    const waiting = tcpRoute('b1-r0', [parent('b1', { sectionName: 'l1' })], [backend('b1-s0', 80)]);
    engine.apply({ type: 'upsert', list: 'gateways', object: added }, { type: 'upsert', list: 'tcpRoutes', object: waiting });
    current = { ...current, gateways: [kept, gone, added], tcpRoutes: [goneRoute, waiting] };
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));

    engine.apply(
      { type: 'delete', list: 'gateways', namespace: 'default', name: 'b0' },
      { type: 'delete', list: 'tcpRoutes', namespace: 'default', name: 'b0-r0' },
      { type: 'delete', list: 'services', namespace: 'default', name: 'b0-s0' },
      { type: 'delete', list: 'endpointSlices', namespace: 'default', name: 'b0-s0-x' },
    );
    current = { ...current, gateways: [kept, added], tcpRoutes: [waiting], services: [], endpointSlices: [] };
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));

    const awaited = service('b1-s0', port);
    const awaitedSlice = endpointSlice('b1-s0-x', 'b1-s0', [], { port: 8080 });
    engine.apply({ type: 'upsert', list: 'services', object: awaited }, { type: 'upsert', list: 'endpointSlices', object: awaitedSlice });
    current = { ...current, services: [awaited], endpointSlices: [awaitedSlice] };
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
  });

  it('should give the pure result after a Gateway is replaced by new versions: its status written back, a listener edited, its class changed', () => {
    const listeners = [{ name: 'tcp', port: 80 }];
    const routes = [tcpRoute('to-a', [parent('a')], [backend('here', 80)]), tcpRoute('to-b', [parent('b')], [backend('here', 80)])];
    let current = snapshot({ gateways: [gateway('a', listeners), gateway('b', listeners)], tcpRoutes: routes, services: [service('here', port)] });
    const engine = engineWith(current);
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
    const versions = [
      gateway('a', listeners, { status: { addresses: [{ type: 'IPAddress', value: '10.0.0.10' }] } }),
      gateway('a', [{ name: 'tcp', port: 81 }]),
      gateway('a', listeners, { className: 'someone-else' }),
      gateway('a', listeners),
    ];
    for (const [i, version] of versions.entries()) {
      const next = { ...version, metadata: { ...(version.metadata as object), resourceVersion: String(10 + i) } };
      engine.apply({ type: 'upsert', list: 'gateways', object: next });
      current = { ...current, gateways: [next, current.gateways[1]!] };
      expect(engine.reconcile(NOW), `version ${i}`).toEqual(reconcile(current, options()));
    }
  });

  it('should give the pure result after Gateways are appended and removed one at a time', () => {
    let current = snapshot({ gateways: [gateway('a', [{ name: 'tcp', port: 80 }])] });
    const engine = engineWith(current);
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
    for (const name of ['c', 'b', 'd']) {
      const added = gateway(name, [{ name: 'tcp', port: 80 }]);
      engine.apply({ type: 'upsert', list: 'gateways', object: added });
      current = { ...current, gateways: [...current.gateways, added] };
      expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
    }
    for (const name of ['b', 'a', 'd']) {
      engine.apply({ type: 'delete', list: 'gateways', namespace: 'default', name });
      current = { ...current, gateways: current.gateways.filter((g) => (g as { metadata: { name: string } }).metadata.name !== name) };
      expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
    }
  });

  it('should give the pure result after the Gateway a ListenerSet and its route name comes and goes, beside another', () => {
    const open = (name: string): ReturnType<typeof gateway> => gateway(name, [{ name: 'own', port: 80 }], { allowedListeners: { namespaces: { from: 'Same' } } });
    const set = listenerSet('extra', { name: 'later' }, [{ name: 'db', port: 5432 }]);
    const viaSet = tcpRoute('via-set', [parent('extra', { kind: 'ListenerSet' })], [backend('db', 5432)]);
    let current = snapshot({ gateways: [open('here')], listenerSets: [set], tcpRoutes: [viaSet], services: [service('db', [{ name: 'tcp', port: 5432, protocol: 'TCP', targetPort: 5432 }])] });
    const engine = createEngine(ENGINE_OPTIONS);
    engine.apply(...(['gatewayClasses', 'gateways', 'listenerSets', 'tcpRoutes', 'services', 'endpointSlices', 'configMaps'] as const).map((list): Delta => ({ type: 'relist', list, objects: current[list] })));
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
    const later = open('later');
    engine.apply({ type: 'upsert', list: 'gateways', object: later });
    current = { ...current, gateways: [...current.gateways, later] };
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
    engine.apply({ type: 'delete', list: 'gateways', namespace: 'default', name: 'later' });
    current = { ...current, gateways: current.gateways.filter((g) => g !== later) };
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
  });

  it('should give the pure assignments after Gateways are created one by one, newest or not, until the pool runs out', () => {
    // Two addresses: the third Gateway to come gets none, and a Warning event in its place.
    const pool = configMap('kube-system', 'kubevip', { 'range-global': '10.0.0.10-10.0.0.11' });
    let current = snapshot({ configMaps: [pool], gateways: [gateway('m', [{ name: 'tcp', port: 80 }], { creationTimestamp: '2026-01-01T00:00:05Z' })] });
    const engine = engineWith(current);
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
    const created: [string, string][] = [
      ['p', '2026-01-01T00:00:06Z'],
      ['a', '2026-01-01T00:00:07Z'],
      ['z', '2026-01-01T00:00:08Z'],
      ['b', '2026-01-01T00:00:01Z'],
      ['y', '2026-01-01T00:00:09Z'],
    ];
    for (const [name, creationTimestamp] of created) {
      const added = gateway(name, [{ name: 'tcp', port: 80 }], { creationTimestamp });
      engine.apply({ type: 'upsert', list: 'gateways', object: added });
      current = { ...current, gateways: [...current.gateways, added] };
      const desired = engine.reconcile(NOW);
      expect(desired, `after ${name}`).toEqual(reconcile(current, options()));
    }
    // A Service with an address comes with a Gateway: IPAM reads it, so everything is assigned again.
    const holder = service('holder', [{ name: 'tcp', port: 80, protocol: 'TCP' }], { type: 'LoadBalancer', ingress: ['10.0.0.10'] });
    const last = gateway('zz', [{ name: 'tcp', port: 80 }], { creationTimestamp: '2026-01-01T00:00:10Z' });
    engine.apply({ type: 'upsert', list: 'services', object: holder }, { type: 'upsert', list: 'gateways', object: last });
    current = { ...current, services: [...current.services, holder], gateways: [...current.gateways, last] };
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
  });

  it('should hold back what it is told to also for a Gateway created newest (IP8)', () => {
    const pool = configMap('kube-system', 'kubevip', { 'range-global': '10.0.0.10-10.0.0.12' });
    let current: Snapshot = snapshot({ configMaps: [pool], gateways: [gateway('m', [{ name: 'tcp', port: 80 }], { creationTimestamp: '2026-01-01T00:00:05Z' })] });
    const engine = engineWith(current);
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
    // With .11 held back n gets .12; once nothing is held back (no status written yet, so
    // nothing is held either), the run from scratch gives n .11 and o .12.
    const steps = [
      ['n', '2026-01-01T00:00:06Z', ['10.0.0.11'], '10.0.0.12'],
      ['o', '2026-01-01T00:00:07Z', [], '10.0.0.12'],
    ] as const;
    for (const [name, creationTimestamp, heldBack, wanted] of steps) {
      const added = gateway(name, [{ name: 'tcp', port: 80 }], { creationTimestamp });
      engine.apply({ type: 'heldBackAddresses', addresses: heldBack }, { type: 'upsert', list: 'gateways', object: added });
      const { heldBackAddresses: _previous, ...rest } = current;
      current = { ...rest, ...(heldBack.length > 0 ? { heldBackAddresses: heldBack } : {}), gateways: [...current.gateways, added] };
      const desired = engine.reconcile(NOW);
      expect(desired, `after ${name}`).toEqual(reconcile(current, options()));
      expect(desired.addresses.find((a) => a.gateway.name === name)?.address, name).toBe(wanted);
    }
  });

  it('should mirror the right Gateway\'s slices after a Gateway is added before it or removed, and name a Gateway\'s Service around a user\'s', () => {
    // The dataplane patches a Gateway added or removed in place; which Gateway mirrors which
    // Service's slices is kept by place, so every later place moves with it.
    const port80 = [{ name: 'tcp', port: 80, protocol: 'TCP', targetPort: 8080 }];
    // Each created after the last (IPAM then assigns the added one alone, and the others stay as resolved).
    const bundle = (name: string, second: number) => ({
      gateway: gateway(name, [{ name: 'tcp', port: 80 }], { creationTimestamp: `2026-01-01T00:00:0${second}Z` }),
      route: tcpRoute(`${name}-r`, [parent(name)], [backend(`${name}-s`, 80)]),
      service: service(`${name}-s`, port80),
      slice: endpointSlice(`${name}-s-x`, `${name}-s`, ['10.1.0.1']),
    });
    const [a, c, b] = [bundle('a', 1), bundle('c', 2), bundle('b', 3)];
    let current = snapshot({ gateways: [a.gateway, c.gateway], tcpRoutes: [a.route, c.route], services: [a.service, c.service], endpointSlices: [a.slice, c.slice] });
    const engine = engineWith(current);
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
    let edits = 0;
    const editSlice = (name: string): void => {
      const slice = endpointSlice(`${name}-s-x`, `${name}-s`, ['10.1.0.1', `10.2.0.${++edits}`]);
      engine.apply({ type: 'upsert', list: 'endpointSlices', object: slice });
      current = { ...current, endpointSlices: current.endpointSlices.map((s) => ((s as { metadata: { name: string } }).metadata.name === `${name}-s-x` ? slice : s)) };
      expect(engine.reconcile(NOW), `after ${name}'s slice`).toEqual(reconcile(current, options()));
    };
    editSlice('c');
    const add = (objects: { gateway: unknown; route: unknown; service: unknown; slice: unknown }, ...others: unknown[]): void => {
      engine.apply(
        { type: 'upsert', list: 'gateways', object: objects.gateway },
        { type: 'upsert', list: 'tcpRoutes', object: objects.route },
        ...[objects.service, ...others].map((object): Delta => ({ type: 'upsert', list: 'services', object })),
        { type: 'upsert', list: 'endpointSlices', object: objects.slice },
      );
      current = {
        ...current,
        gateways: [...current.gateways, objects.gateway],
        tcpRoutes: [...current.tcpRoutes, objects.route],
        services: [...current.services, objects.service, ...others],
        endpointSlices: [...current.endpointSlices, objects.slice],
      };
      expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
    };
    // b sorts between a and c.
    add(b);
    editSlice('c');
    editSlice('b');
    // A user's Service holds the name d's own would take: d's is the hashed name.
    add(bundle('d', 4), service('d-l4', port80));
    editSlice('c');
    editSlice('b');
    engine.apply({ type: 'delete', list: 'gateways', namespace: 'default', name: 'a' });
    current = { ...current, gateways: current.gateways.filter((g) => g !== a.gateway) };
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
    editSlice('c');
    editSlice('b');
  });

  it('should give the pure assignments after Gateways are removed, holding their addresses or not, one holding another\'s', () => {
    // IPAM leaves a removed Gateway out of its last run when that changes no other's outcome:
    // when it was the newest, holding and requesting nothing, or every other one kept what it holds.
    const pool = configMap('kube-system', 'kubevip', { 'range-global': '10.0.0.10-10.0.0.20' });
    const holding = (name: string, second: number, ...addresses: string[]) =>
      gateway(name, [{ name: 'tcp', port: 80 }], { creationTimestamp: `2026-01-01T00:00:0${second}Z`, ...(addresses.length > 0 ? { status: { addresses: addresses.map((value) => ({ type: 'IPAddress', value })) } } : {}) });
    // d holds what b holds, and is younger: it keeps .13, and takes .11 back once b is gone.
    const gateways = [holding('a', 1, '10.0.0.10'), holding('b', 2, '10.0.0.11'), holding('c', 3, '10.0.0.12'), holding('d', 4, '10.0.0.11', '10.0.0.13'), holding('g', 5, '10.0.0.14'), holding('e', 6), holding('f', 7)];
    let current = snapshot({ configMaps: [pool], gateways });
    const engine = engineWith(current);
    expect(engine.reconcile(NOW)).toEqual(reconcile(current, options()));
    const remove = (name: string): void => {
      engine.apply({ type: 'delete', list: 'gateways', namespace: 'default', name });
      current = { ...current, gateways: current.gateways.filter((g) => (g as { metadata: { name: string } }).metadata.name !== name) };
      expect(engine.reconcile(NOW), `without ${name}`).toEqual(reconcile(current, options()));
    };
    remove('f');
    remove('e');
    // The newest created now gets the lowest free address, which e held until just now.
    const n = holding('n', 8);
    engine.apply({ type: 'upsert', list: 'gateways', object: n });
    current = { ...current, gateways: [...current.gateways, n] };
    expect(engine.reconcile(NOW), 'with n').toEqual(reconcile(current, options()));
    for (const name of ['n', 'b', 'c', 'a']) remove(name);
  });

  it('should give the pure result after its generated Service is announced, announced with another address, and taken by a user', () => {
    // The load balancer writing back the address a generated Service asks for changes nothing
    // IPAM or the dataplane reads, and the engine keeps their last work; another address is a new
    // use, and the Service without l4gw's managed-by label is a user's, whose name no claim gets.
    const listeners = [{ name: 'tcp', port: 80 }];
    let current = snapshot({
      gateways: [gateway('gw', listeners, { creationTimestamp: '2026-01-01T00:00:01Z' }), gateway('other', listeners, { creationTimestamp: '2026-01-01T00:00:02Z' })],
      tcpRoutes: [tcpRoute('r', [parent('gw')], [backend('app', 80)]), tcpRoute('o', [parent('other')], [backend('app', 80)])],
      services: [service('app', port)],
      endpointSlices: [endpointSlice('app-x', 'app', ['10.1.0.1'])],
    });
    const engine = engineWith(current);
    const first = engine.reconcile(NOW);
    expect(first).toEqual(reconcile(current, options()));
    const addressOf = (name: string): string => first.addresses.find((a) => a.gateway.name === name)!.address!;
    const created = first.objects.find((o) => o.kind === 'Service' && o.metadata.labels?.['gateway.networking.k8s.io/gateway-name'] === 'gw')!;
    expect(created, 'the Service generated for gw').toBeDefined();
    let version = 0;
    /** `created` as the API server returns it, with `status` and `labels`, under a new resourceVersion. */
    const stored = (status: Record<string, unknown>, labels = created.metadata.labels) => ({ ...created, metadata: { ...created.metadata, labels, uid: 'uid-generated', resourceVersion: String(++version) }, status });
    const upsert = (object: unknown, what: string) => {
      engine.apply({ type: 'upsert', list: 'services', object });
      const name = created.metadata.name;
      const others = current.services.filter((s) => (s as { metadata: { name: string } }).metadata.name !== name);
      current = { ...current, services: [...others, object] };
      const desired = engine.reconcile(NOW);
      expect(desired, what).toEqual(reconcile(current, options()));
      return desired;
    };
    const asCreated = upsert(stored({}), 'created');
    const announced = upsert(stored({ loadBalancer: { ingress: [{ ip: addressOf('gw') }] } }), 'announced');
    expect(announced.objects).toEqual(asCreated.objects);
    upsert(stored({ loadBalancer: { ingress: [{ ip: addressOf('other') }] } }), "announced with other's address");
    const { 'app.kubernetes.io/managed-by': _ours, ...theirs } = created.metadata.labels!;
    const taken = upsert(stored({ loadBalancer: { ingress: [{ ip: addressOf('gw') }] } }, theirs), "a user's");
    // gw's Service name is refused now: no object is generated in its place.
    expect(taken.objects.filter((o) => o.metadata.name === created.metadata.name)).toEqual([]);
    upsert(stored({ loadBalancer: { ingress: [{ ip: addressOf('gw') }] } }), "l4gw's again");
  });
});
