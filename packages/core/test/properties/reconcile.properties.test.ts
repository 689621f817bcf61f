import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultOptions, plan, reconcile, type Snapshot } from '../../src/index.js';
import { remembering } from '../../src/engine/test-support.js';
import { applyActions } from './apply-actions.js';
import { CHANGES, changeOne } from './changes.js';
import { CONTROLLER, clusterArbitrary, coherentCluster, optionsArbitrary } from './cluster-arbitrary.js';

const options = defaultOptions('2026-05-01T12:00:00Z');
const LISTS = ['gatewayClasses', 'gateways', 'listenerSets', 'tcpRoutes', 'udpRoutes', 'referenceGrants', 'namespaces', 'services', 'endpointSlices', 'configMaps'] as const;

/** Arbitrary JSON-ish values, and objects that look like Kubernetes objects with arbitrary fields. */
const junk = fc.oneof(
  fc.anything(),
  fc.record({ apiVersion: fc.anything(), kind: fc.anything(), metadata: fc.anything(), spec: fc.anything(), status: fc.anything() }, { requiredKeys: [] }),
  fc.record({
    metadata: fc.record({ name: fc.string(), namespace: fc.string(), labels: fc.dictionary(fc.string(), fc.anything()), generation: fc.anything() }, { requiredKeys: [] }),
    spec: fc.dictionary(fc.constantFrom('listeners', 'parentRefs', 'rules', 'ports', 'addresses', 'gatewayClassName', 'controllerName', 'parametersRef', 'selector'), fc.anything()),
  }),
);

const junkSnapshot: fc.Arbitrary<Snapshot> = fc.record(
  Object.fromEntries(LISTS.map((list) => [list, fc.array(junk, { maxLength: 4 })])) as Record<(typeof LISTS)[number], fc.Arbitrary<unknown[]>>,
);

/** A cluster mixing plausible objects with junk, so parsing failures meet real objects. */
const mixedSnapshot: fc.Arbitrary<Snapshot> = fc.tuple(clusterArbitrary, junkSnapshot).map(([cluster, extra]) => {
  const mixed: Record<string, unknown[]> = {};
  for (const list of LISTS) mixed[list] = [...cluster[list], ...extra[list]];
  return mixed as unknown as Snapshot;
});

function shuffled(snapshot: Snapshot, seed: number): Snapshot {
  const out: Record<string, unknown> = { ...snapshot };
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
  for (const list of LISTS) {
    const items = [...snapshot[list]];
    for (let i = items.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    out[list] = items;
  }
  return out as unknown as Snapshot;
}

describe('reconcile (properties)', () => {
  it('should never throw on arbitrary objects', () => {
    fc.assert(
      fc.property(fc.oneof(junkSnapshot, mixedSnapshot), (snapshot) => {
        const desired = reconcile(snapshot, options);
        plan(desired, snapshot);
      }),
      { numRuns: 300 },
    );
  });

  it('should give the same output whatever the order of the input lists', () => {
    fc.assert(
      fc.property(clusterArbitrary, optionsArbitrary, fc.integer(), (snapshot, opts, seed) => {
        const a = reconcile(snapshot, opts);
        const b = reconcile(shuffled(snapshot, seed), opts);
        expect(b).toEqual(a);
        expect(plan(b, snapshot)).toEqual(plan(a, snapshot));
      }),
      { numRuns: 200 },
    );
  });

  // An engine's memory keeps work between calls (parse results per object, de-duplicated lists,
  // the resolved graph, the address assignment, statuses, mirrored endpoints, generated objects,
  // and in plan the observed index, comparisons and status writes) and reuses it when the same
  // object instances come back. These properties give it a previous cluster that shares objects
  // with the next one and compare the next result, and plan, with the pure reconcile and plan.
  it('should give the same result as without memory after reconciling a cluster that shares objects with it', () => {
    fc.assert(
      fc.property(clusterArbitrary, clusterArbitrary, optionsArbitrary, optionsArbitrary, fc.nat(), (first, other, opts1, opts2, seed) => {
        // The next cluster: the first one (the same arrays and objects) with one list changed, or
        // all of them: objects replaced in place (lengths kept), or dropped and added; shuffled or not.
        const changed = seed % (LISTS.length + 1);
        const pick = (i: number): boolean => ((seed >>> (i % 16)) & 1) === 0;
        const next: Record<string, readonly unknown[]> = {};
        LISTS.forEach((list, index) => {
          if (changed < LISTS.length && index !== changed) next[list] = first[list];
          else if ((seed >>> 5) % 2 === 0) next[list] = first[list].map((item, i) => (pick(i) ? item : (other[list][i] ?? item)));
          else next[list] = [...first[list].filter((_, i) => pick(i)), ...other[list].slice(0, (seed >>> 3) & 3)];
        });
        const nextSnapshot = (seed >>> 7) % 4 === 0 ? shuffled(next as unknown as Snapshot, seed) : (next as unknown as Snapshot);
        const engine = remembering();
        engine.plan(engine.reconcile(first, opts1), first);
        const afterFirst = engine.reconcile(nextSnapshot, opts2); // partly shared objects, maybe other options
        const planAfterFirst = engine.plan(afterFirst, nextSnapshot);
        const afterItself = engine.reconcile(nextSnapshot, opts2); // every object shared
        const reference = reconcile(nextSnapshot, opts2);
        expect(afterFirst).toEqual(reference);
        expect(afterItself).toEqual(reference);
        const referencePlan = plan(reference, nextSnapshot);
        expect(planAfterFirst).toEqual(referencePlan);
        expect(engine.plan(afterItself, nextSnapshot)).toEqual(referencePlan);
        // The same desired state against other observed objects (an embedder may plan against a fresher read).
        expect(engine.plan(afterItself, first)).toEqual(plan(afterItself, first));
      }),
      { numRuns: 300 },
    );
  });

  it('should give the same result as without memory along a converging sequence (R1)', () => {
    fc.assert(
      fc.property(clusterArbitrary, optionsArbitrary, (snapshot, opts) => {
        const engine = remembering();
        let current = snapshot;
        for (let round = 0; round < 3; round++) {
          // The previous round's reconcile is what memory holds: every object the plan did not
          // write. The clock moves on every other round, as a controller's does between reconciles.
          const roundOptions = { ...opts, now: `2026-05-01T12:0${round >> 1}:00Z` };
          const desired = engine.reconcile(current, roundOptions);
          expect(desired).toEqual(reconcile(current, roundOptions));
          const actions = engine.plan(desired, current);
          expect(actions).toEqual(plan(desired, current));
          current = applyActions(current, actions);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('should give the same result as without memory when one object changes, as watch events do', () => {
    fc.assert(
      fc.property(coherentCluster, optionsArbitrary, fc.array(fc.tuple(fc.constantFrom(...CHANGES), fc.nat()), { minLength: 1, maxLength: 4 }), (snapshot, opts, changes) => {
        const engine = remembering();
        let current = applyActions(snapshot, plan(reconcile(snapshot, opts), snapshot));
        for (const [change, pick] of changes) {
          engine.reconcile(current, opts);
          current = changeOne(current, change, pick);
          // Sometimes with the clock moved on (statuses stamp it on what the change flipped).
          const later = pick % 3 === 0 ? { ...opts, now: '2026-05-01T13:00:00Z' } : opts;
          const desired = engine.reconcile(current, later);
          expect(desired).toEqual(reconcile(current, later));
          expect(engine.plan(desired, current)).toEqual(plan(desired, current));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('should plan nothing after its plan is applied and the cluster reconciled again (R1)', () => {
    fc.assert(
      fc.property(clusterArbitrary, optionsArbitrary, (snapshot, opts) => {
        const actions = plan(reconcile(snapshot, opts), snapshot);
        const applied = applyActions(snapshot, actions);
        expect(plan(reconcile(applied, opts), applied)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('should never give two Gateways the same address (IP3)', () => {
    fc.assert(
      fc.property(clusterArbitrary, optionsArbitrary, (snapshot, opts) => {
        const desired = reconcile(snapshot, opts);
        const holders = new Map<string, string>();
        for (const { gateway, address } of desired.addresses) {
          const who = `${gateway.namespace ?? ''}/${gateway.name}`;
          const other = holders.get(address);
          expect(other === undefined || other === who, `${address} held by ${other} and ${who}`).toBe(true);
          holders.set(address, who);
        }
        for (const intent of desired.statuses) {
          if (intent.target.kind !== 'Gateway') continue;
          const who = `${intent.target.namespace ?? ''}/${intent.target.name}`;
          const addresses = (intent.status['addresses'] ?? []) as { value: string }[];
          for (const { value } of addresses) expect([undefined, who]).toContain(holders.get(value));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('should write status only for classes, Gateways, ListenerSets and routes that are ours (GC1, GW1, LS1, RT3)', () => {
    fc.assert(
      fc.property(clusterArbitrary, (snapshot) => {
        const desired = reconcile(snapshot, options);
        type Ref = { kind?: string; name: string; namespace?: string };
        type Raw = { kind: string; metadata: { name: string; namespace?: string }; spec: { controllerName?: string; gatewayClassName?: string; parentRef?: Ref; parentRefs?: Ref[] } };
        const classes = snapshot.gatewayClasses as Raw[];
        const gateways = snapshot.gateways as Raw[];
        const ourClasses = new Set(classes.filter((c) => c.spec.controllerName === CONTROLLER).map((c) => c.metadata.name));
        const ourGateways = new Set(gateways.filter((g) => ourClasses.has(g.spec.gatewayClassName ?? '')).map((g) => `${g.metadata.namespace}/${g.metadata.name}`));
        const keyOf = (ref: Ref, namespace: string | undefined) => `${ref.namespace ?? namespace}/${ref.name}`;
        const ourListenerSets = new Set(
          (snapshot.listenerSets as Raw[]).filter((l) => l.spec.parentRef !== undefined && ourGateways.has(keyOf(l.spec.parentRef, l.metadata.namespace))).map((l) => `${l.metadata.namespace}/${l.metadata.name}`),
        );
        const routes = [...(snapshot.tcpRoutes as Raw[]), ...(snapshot.udpRoutes as Raw[])];
        for (const { target } of desired.statuses) {
          if (target.kind === 'GatewayClass') expect(ourClasses.has(target.name)).toBe(true);
          else if (target.kind === 'Gateway') expect(ourGateways.has(`${target.namespace}/${target.name}`)).toBe(true);
          else if (target.kind === 'ListenerSet') expect(ourListenerSets.has(`${target.namespace}/${target.name}`)).toBe(true);
          else {
            const r = routes.find((x) => x.kind === target.kind && x.metadata.namespace === target.namespace && x.metadata.name === target.name)!;
            const ours = (r.spec.parentRefs ?? []).some((p) => (p.kind === 'ListenerSet' ? ourListenerSets : ourGateways).has(keyOf(p, r.metadata.namespace)));
            expect(ours).toBe(true);
          }
        }
        for (const object of desired.objects) {
          if (object.kind === 'GatewayClass') expect(ourClasses.has(object.metadata.name)).toBe(true);
          if (object.kind === 'Gateway') expect(ourGateways.has(`${object.metadata.namespace}/${object.metadata.name}`)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
