// The engine against the pure reference: after any sequence of deltas (objects of every kind
// added, changed, deleted, lists relisted, l4gw's own writes coming back), the engine's
// reconcile and plan equal the pure `reconcile` and `plan` of the objects it was given. The
// objects it was given are tracked here independently of the engine's store (a plain snapshot
// that each step rewrites), and the deltas are what changed between two such snapshots.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, defaultOptions, plan, reconcile, type Delta, type ReconcileOptions, type Snapshot, type SnapshotList } from '../../src/index.js';
import { applyActions } from './apply-actions.js';
import { CHANGES, changeOne } from './changes.js';
import { clusterArbitrary, coherentCluster, optionsArbitrary } from './cluster-arbitrary.js';
import { bundleIndex, bundleShape, withBundle, withListenerSetsAhead, withoutGateway, withWaitingServices, type BundleShape } from './gateway-bundles.js';

// Every list of a snapshot: a list left out here is never handed to the engine (ListenerSets were,
// until bundles had them), and the pure reconcile would read what the engine never saw.
const LISTS: readonly SnapshotList[] = ['gatewayClasses', 'gateways', 'listenerSets', 'tcpRoutes', 'udpRoutes', 'referenceGrants', 'namespaces', 'services', 'endpointSlices', 'configMaps'];

type Meta = { metadata?: { namespace?: unknown; name?: unknown } };

/** `namespace/name` of a raw object, or undefined without a name (such objects are not fed to an engine). */
function keyOf(object: unknown): string | undefined {
  const m = (object as Meta | null)?.metadata;
  if (typeof m?.name !== 'string' || m.name === '') return undefined;
  return `${typeof m.namespace === 'string' ? m.namespace : ''}/${m.name}`;
}

/** The snapshot with one object per key in each list (the first), as an informer's store holds them. */
function oneByKey(snapshot: Snapshot): Snapshot {
  const out: Record<string, unknown> = { ...snapshot };
  for (const list of LISTS) {
    const seen = new Set<string>();
    out[list] = snapshot[list].filter((o) => {
      const key = keyOf(o);
      if (key === undefined || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  return out as unknown as Snapshot;
}

/** The deltas that turn `before` into `after`: a delete per key gone, an upsert per object new or replaced. */
function deltasBetween(before: Snapshot, after: Snapshot): Delta[] {
  const deltas: Delta[] = [];
  for (const list of LISTS) {
    const was = new Map(before[list].map((o) => [keyOf(o)!, o]));
    const now = new Map(after[list].map((o) => [keyOf(o)!, o]));
    for (const [key, object] of was) {
      if (now.has(key)) continue;
      const m = (object as Meta).metadata!;
      deltas.push({ type: 'delete', list, ...(typeof m.namespace === 'string' && m.namespace !== '' ? { namespace: m.namespace } : {}), name: m.name as string });
    }
    for (const [key, object] of now) if (was.get(key) !== object) deltas.push({ type: 'upsert', list, object });
  }
  return deltas;
}

/** One step of a cluster's life, as the property draws them. */
type Step =
  | { readonly kind: 'change'; readonly change: (typeof CHANGES)[number]; readonly pick: number }
  | { readonly kind: 'add'; readonly list: SnapshotList; readonly pick: number }
  | { readonly kind: 'delete'; readonly list: SnapshotList; readonly pick: number }
  | { readonly kind: 'relist'; readonly list: SnapshotList; readonly keep: number }
  | { readonly kind: 'apply plan' }
  | { readonly kind: 'clock' }
  /** IP8: the operator holds back some addresses (those of the drawn pools' first few), or none. */
  | { readonly kind: 'hold back'; readonly addresses: readonly string[] }
  /**
   * A Gateway created with its routes, Services and slices (./gateway-bundles.ts), perhaps under
   * the name of one removed before, perhaps as the addresses held back change (in one reconcile).
   */
  | { readonly kind: 'add gateway'; readonly shape: BundleShape; readonly reuse: boolean; readonly holdBack: readonly string[] | undefined }
  /** ListenerSets (and perhaps routes through them) naming the Gateway the next 'add gateway' of the same `reuse` creates. */
  | { readonly kind: 'add listener sets ahead'; readonly reuse: boolean; readonly route: boolean }
  /** The Services that bundle routes wait for, added. */
  | { readonly kind: 'add waited-for services' }
  /** A Gateway deleted with its routes (and a bundle's Services and slices). */
  | { readonly kind: 'remove gateway'; readonly pick: number; readonly bundlesOnly: boolean };

// Addresses of the drawn pools (192.0.2.10-20, the class pool 198.51.100.8/30), one malformed.
const HELD_BACK_CANDIDATES = ['192.0.2.10', '192.0.2.11', '192.0.2.12', '198.51.100.9', 'fd00:1::1', 'not-an-ip'];

// Gateways added and removed are drawn as often as all other steps together: the engine patches
// its memory for them (IPAM carried on, resolution and dataplane extended), and those patches
// are only reached by such steps from a cluster already holding several Gateways.
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), change: fc.constantFrom(...CHANGES), pick: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), list: fc.constantFrom(...LISTS), pick: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), list: fc.constantFrom(...LISTS), pick: fc.nat() }),
  fc.record({ kind: fc.constant('relist' as const), list: fc.constantFrom(...LISTS), keep: fc.nat() }),
  fc.constant({ kind: 'apply plan' as const }),
  fc.constant({ kind: 'clock' as const }),
  fc.record({ kind: fc.constant('hold back' as const), addresses: fc.subarray(HELD_BACK_CANDIDATES) }),
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('add gateway' as const),
      shape: bundleShape,
      reuse: fc.boolean(),
      holdBack: fc.option(fc.subarray(HELD_BACK_CANDIDATES), { nil: undefined, freq: 3 }),
    }),
  },
  fc.record({ kind: fc.constant('add listener sets ahead' as const), reuse: fc.boolean(), route: fc.boolean() }),
  fc.constant({ kind: 'add waited-for services' as const }),
  // Slices changed after Gateways came or went: the dataplane's index of who mirrors which Service moves with them.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('change' as const), change: fc.constant('slice endpoints' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove gateway' as const), pick: fc.nat(), bundlesOnly: fc.boolean() }) },
);

/**
 * A coherent cluster with some bundles already in it, and perhaps l4gw's plan for it applied (a
 * controller restarting on a converged cluster: generated objects exist from the start).
 */
const startingCluster: fc.Arbitrary<{ snapshot: Snapshot; bundles: number; converged: boolean }> = fc
  .tuple(coherentCluster, fc.array(bundleShape, { maxLength: 5 }), fc.boolean())
  .map(([cluster, shapes, converged]) => ({ snapshot: shapes.reduce((s, shape, i) => withBundle(s, i, shape), cluster), bundles: shapes.length, converged }));

/** The cluster after `s`, from `current`; `other` supplies objects to add. Relists come back as one delta. */
function next(current: Snapshot, s: Step, other: Snapshot, options: ReconcileOptions, bundles: number): { snapshot: Snapshot; relist?: SnapshotList } {
  switch (s.kind) {
    case 'add gateway': {
      const added = withBundle(current, bundleIndex(current, bundles, s.reuse), s.shape);
      if (s.holdBack === undefined) return { snapshot: added };
      const { heldBackAddresses: _previous, ...rest } = added;
      return { snapshot: s.holdBack.length === 0 ? rest : { ...rest, heldBackAddresses: s.holdBack } };
    }
    case 'add listener sets ahead':
      return { snapshot: withListenerSetsAhead(current, bundleIndex(current, bundles, s.reuse), s.route) };
    case 'add waited-for services':
      return { snapshot: withWaitingServices(current) };
    case 'remove gateway':
      return { snapshot: withoutGateway(current, s.pick, s.bundlesOnly) };
    case 'change':
      return { snapshot: changeOne(current, s.change, s.pick) };
    case 'add': {
      const candidates = other[s.list].filter((o) => keyOf(o) !== undefined && !current[s.list].some((c) => keyOf(c) === keyOf(o)));
      const added = candidates[s.pick % Math.max(1, candidates.length)];
      return { snapshot: added === undefined ? current : { ...current, [s.list]: [...current[s.list], added] } };
    }
    case 'delete': {
      const items = current[s.list];
      if (items.length === 0) return { snapshot: current };
      const at = s.pick % items.length;
      return { snapshot: { ...current, [s.list]: items.filter((_, i) => i !== at) } };
    }
    case 'relist': {
      // A resync: some objects gone, the rest listed again as new instances (a list returns copies).
      const items = current[s.list].filter((_, i) => ((s.keep >>> i % 16) & 1) === 0 || i % 3 === 0).map((o) => structuredClone(o));
      return { snapshot: { ...current, [s.list]: items }, relist: s.list };
    }
    case 'apply plan':
      return { snapshot: oneByKey(applyActions(current, plan(reconcile(current, options), current))) };
    case 'clock':
      return { snapshot: current };
    case 'hold back': {
      const { heldBackAddresses: _previous, ...rest } = current;
      return { snapshot: s.addresses.length === 0 ? rest : { ...rest, heldBackAddresses: s.addresses } };
    }
  }
}

// ENGINE_RUNS raises the number of cases; ENGINE_SEED and ENGINE_PATH replay a reported counterexample.
describe('engine (properties)', () => {
  it('should give what the pure reconcile and plan give after any sequence of deltas', () => {
    fc.assert(
      fc.property(startingCluster, clusterArbitrary, optionsArbitrary, fc.array(step, { minLength: 1, maxLength: 8 }), (start, other, opts, steps) => {
        const { now, ...engineOptions } = opts;
        const engine = createEngine(engineOptions);
        let current = oneByKey(start.snapshot);
        if (start.converged) current = oneByKey(applyActions(current, plan(reconcile(current, opts), current)));
        let bundles = start.bundles;
        engine.apply(...LISTS.map((list): Delta => ({ type: 'relist', list, objects: current[list] })));
        if (current.crdBundleVersions !== undefined) engine.apply({ type: 'crdBundleVersions', versions: current.crdBundleVersions });
        let clock = now;
        for (const [i, s] of steps.entries()) {
          const moved = next(current, s, other, { ...opts, now: clock }, bundles);
          if (s.kind === 'add gateway' && bundleIndex(current, bundles, s.reuse) === bundles) bundles++;
          if (moved.relist !== undefined) engine.apply({ type: 'relist', list: moved.relist, objects: moved.snapshot[moved.relist] });
          else if (s.kind === 'hold back') engine.apply({ type: 'heldBackAddresses', addresses: s.addresses });
          else {
            // Held-back addresses change with the objects, in one reconcile (the IPAM patch must notice).
            if (s.kind === 'add gateway' && s.holdBack !== undefined) engine.apply({ type: 'heldBackAddresses', addresses: s.holdBack });
            engine.apply(...deltasBetween(current, moved.snapshot));
          }
          current = moved.snapshot;
          if (s.kind === 'clock') clock = `2026-05-01T13:0${i % 10}:00Z`;
          const reference = reconcile(current, { ...opts, now: clock });
          const desired = engine.reconcile(clock);
          expect(desired, `after step ${i} (${s.kind})`).toEqual(reference);
          expect(engine.plan(desired), `plan after step ${i} (${s.kind})`).toEqual(plan(reference, current));
        }
      }),
      { numRuns: Number(process.env.ENGINE_RUNS ?? 400), ...(process.env.ENGINE_SEED ? { seed: Number(process.env.ENGINE_SEED), path: process.env.ENGINE_PATH, endOnFailure: true } : {}) },
    );
  });

  it('should hold one object per key, replaced in place, and forget deleted ones', () => {
    const engine = createEngine(optionsWithoutNow());
    const gw = (name: string, rv: string): unknown => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { namespace: 'a', name, resourceVersion: rv } });
    engine.apply({ type: 'upsert', list: 'gateways', object: gw('x', '1') }, { type: 'upsert', list: 'gateways', object: gw('y', '1') });
    const first = engine.snapshot().gateways;
    const edited = gw('x', '2');
    engine.apply({ type: 'upsert', list: 'gateways', object: edited });
    // The list handed out before is left as it was; the new one has the edit in x's place.
    expect(first.map((o) => (o as { metadata: { resourceVersion: string } }).metadata.resourceVersion)).toEqual(['1', '1']);
    expect(engine.snapshot().gateways[0]).toBe(edited);
    engine.apply({ type: 'delete', list: 'gateways', namespace: 'a', name: 'x' });
    expect(engine.snapshot().gateways.map((o) => keyOf(o))).toEqual(['a/y']);
    // An unchanged list is the same instance, which is what lets the engine's memory reuse its work.
    expect(engine.snapshot().gateways).toBe(engine.snapshot().gateways);
  });

  it('should refuse a delta for a list that does not exist, naming it', () => {
    const engine = createEngine(optionsWithoutNow());
    expect(() => engine.apply({ type: 'upsert', list: 'pods' as SnapshotList, object: {} })).toThrow(/"pods"/);
  });
});

function optionsWithoutNow(): Omit<ReconcileOptions, 'now'> {
  const { now: _now, ...rest } = defaultOptions('2026-05-01T12:00:00Z');
  return rest;
}
