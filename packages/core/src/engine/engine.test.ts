// The engine after the deltas its memory patches rather than recomputes (a Service added that a
// route is waiting for, objects appended and removed), against the pure reconcile of the same
// objects. The properties (test/properties/engine.properties.test.ts) draw such sequences at
// random; these name the cases the patches were written for.

import { describe, expect, it } from 'vitest';
import { reconcile } from '../reconcile.js';
import type { Snapshot } from '../model/snapshot.js';
import { backend, configMap, gateway, NOW, options, parent, service, snapshot, tcpRoute } from '../gateway/test-support.js';
import { createEngine, type Delta } from './engine.js';

const { now: _now, ...ENGINE_OPTIONS } = options();

function engineWith(s: Snapshot) {
  const engine = createEngine(ENGINE_OPTIONS);
  engine.apply(...(['gatewayClasses', 'gateways', 'tcpRoutes', 'services', 'configMaps'] as const).map((list): Delta => ({ type: 'relist', list, objects: s[list] })));
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
});
