// Resolving after routes changed starts from the last resolution (engine/routes-changed.ts); it
// must give exactly what resolving from nothing gives. Each step below replaces routes by edited
// copies, in place, as an informer does, and compares with the pure reconcile.

import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../model/snapshot.js';
import { remembering } from '../engine/test-support.js';
import { reconcile } from '../reconcile.js';
import * as f from '../gateway/test-support.js';

type Json = f.Json;

const gateways = [f.gateway('a', [{ name: 'l', port: 80 }]), f.gateway('b', [{ name: 'l', port: 80 }, { name: 'm', port: 81 }])];
const route = (name: string, gateway: string, extra: Parameters<typeof f.tcpRoute>[3] & { sectionName?: string } = {}): Json =>
  f.tcpRoute(name, [f.parent(gateway, extra.sectionName === undefined ? {} : { sectionName: extra.sectionName })], [f.backend('web', 80)], extra);

function cluster(routes: Json[]): Snapshot {
  return f.snapshot({
    gatewayClasses: [f.gatewayClass('l4')],
    gateways,
    tcpRoutes: routes,
    namespaces: [f.namespace('default')],
    services: [f.service('web', [{ port: 80, targetPort: 8080 }])],
    configMaps: [f.kubevip()],
  });
}

/** Reconciles each snapshot in turn, each compared with a reconcile without memory. */
function expectSameAsFresh(steps: Snapshot[]): void {
  const opts = f.options();
  const engine = remembering();
  for (const [i, step] of steps.entries()) {
    expect(engine.reconcile(step, opts), `step ${i}`).toEqual(reconcile(step, opts));
  }
}

/** `snapshot` with the route at `index` replaced by `edited` (a new object), the others the same instances. */
function withRoute(snapshot: Snapshot, index: number, edited: Json): Snapshot {
  const tcpRoutes = [...snapshot.tcpRoutes];
  tcpRoutes[index] = edited;
  return { ...snapshot, tcpRoutes };
}

describe('resolution after routes changed in place (R1)', () => {
  const first = cluster([route('r1', 'a'), route('r2', 'a', { creationTimestamp: '2024-06-01T00:00:00Z' }), route('r3', 'b')]);

  it('should follow a route that moves to another Gateway, leaves every listener, and comes back (RT2, RT5)', () => {
    const moved = withRoute(first, 0, route('r1', 'b', { sectionName: 'm' }));
    const detached = withRoute(moved, 0, route('r1', 'b', { sectionName: 'nope' }));
    const unowned = withRoute(detached, 0, route('r1', 'elsewhere'));
    const back = withRoute(unowned, 0, route('r1', 'a'));
    expectSameAsFresh([first, moved, detached, unowned, back]);
  });

  it('should hand a listener to another winner when the oldest route gets younger (RT5)', () => {
    const younger = withRoute(first, 0, route('r1', 'a', { creationTimestamp: '2025-06-01T00:00:00Z' }));
    const older = withRoute(younger, 0, route('r1', 'a', { creationTimestamp: '2020-01-01T00:00:00Z' }));
    expectSameAsFresh([first, younger, older]);
  });

  it('should add and drop the warning of a winner whose label names no behaviour (DP)', () => {
    const bogus = withRoute(first, 2, route('r3', 'b', { labels: { serviceBehaviour: 'bogus' } }));
    const twoBogus = withRoute(bogus, 0, route('r1', 'a', { labels: { serviceBehaviour: 'nonsense' } }));
    const fixed = withRoute(twoBogus, 2, route('r3', 'b'));
    expectSameAsFresh([first, bogus, twoBogus, fixed]);
  });

  it('should keep an entry for a route that still carries a parent entry of ours, and drop it once gone (RT3)', () => {
    const ours = { parents: [{ parentRef: { name: 'a' }, controllerName: f.CONTROLLER, conditions: [] }] };
    const stale = withRoute(first, 1, route('r2', 'elsewhere', { status: ours }));
    const cleaned = withRoute(stale, 1, route('r2', 'elsewhere'));
    const again = withRoute(cleaned, 1, route('r2', 'a'));
    expectSameAsFresh([first, stale, cleaned, again]);
  });

  it('should give the same result when several routes change at once', () => {
    const next = { ...first, tcpRoutes: [route('r1', 'b'), route('r2', 'b', { sectionName: 'm' }), route('r3', 'a')] };
    expectSameAsFresh([first, next, first]);
  });
});
