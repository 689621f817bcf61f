// A Gateway with its routes, backend Services and EndpointSlices, as a user creates one: the
// deltas the engine's patches were written for (a Gateway created newest, holding and requesting
// nothing, with backends no one else reads; or one removed with all of them). The engine
// property adds such bundles to a generated cluster, before it starts and as steps, and removes
// Gateways with what is theirs, so that those patches run and are compared with the pure result.
// Some bundles come with a ListenerSet naming their Gateway (and a route attached through it),
// and ListenerSets may come before the Gateway they name (withListenerSetsAhead); removing a
// Gateway leaves its ListenerSets behind. Either way a Gateway comes or goes while a ListenerSet
// that names it stays unchanged: the Gateways patch must then decline (the sets' verdicts change).

import fc from 'fast-check';
import type { Snapshot, SnapshotList } from '../../src/index.js';

const NAMESPACES = ['default', 'apps', 'data'] as const;

/** A ListenerSet of a bundle, named `<gateway>-ls` and naming its Gateway (LS1–LS4). */
export interface BundleListenerSet {
  /** 81: a port of its own; 80: the Gateway's own listener's (LS2: its listener refused, Conflicted). */
  readonly port: 80 | 81;
  /** A TCPRoute `<gateway>-lr` attached through it (parentRef kind ListenerSet) to the bundle's first backend. */
  readonly route: boolean;
}

/** What varies between bundles; most are the common case (newest, holding and requesting nothing). */
export interface BundleShape {
  readonly namespace: (typeof NAMESPACES)[number];
  readonly routes: number;
  readonly udp: boolean;
  /** Newest of all (the common case), or as old as the generated Gateways, or without a timestamp. */
  readonly created: 'newest' | 'old' | 'none';
  readonly held: string | undefined;
  readonly requested: string | undefined;
  readonly endpoints: number;
  /** A backend Service carrying an address (IPAM reads it: the newest-Gateway patch must decline). */
  readonly serviceAddress: string | undefined;
  /** The routes come before their Services (added by a later step: routes waiting for them). */
  readonly servicesLater: boolean;
  /** A user's Service comes with it under the name its DP1 Service would take (DP1 claims the hashed name). */
  readonly nameTaken: boolean;
  /** The Gateway admits ListenerSets of its namespace (LS1); without, those naming it are NotAllowed. */
  readonly admitsListenerSets: boolean;
  readonly listenerSet: BundleListenerSet | undefined;
}

export const bundleShape: fc.Arbitrary<BundleShape> = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  routes: fc.integer({ min: 0, max: 2 }),
  udp: fc.boolean(),
  created: fc.constantFrom('newest', 'newest', 'newest', 'old', 'none'),
  held: fc.constantFrom(undefined, undefined, undefined, '192.0.2.13'),
  requested: fc.constantFrom(undefined, undefined, undefined, '192.0.2.14', '192.0.2.99'),
  endpoints: fc.integer({ min: 0, max: 3 }),
  serviceAddress: fc.constantFrom(undefined, undefined, undefined, '192.0.2.16', '192.0.2.17'),
  servicesLater: fc.boolean(),
  nameTaken: fc.constantFrom(false, false, false, true),
  admitsListenerSets: fc.constantFrom(true, true, false),
  listenerSet: fc.constantFrom<BundleListenerSet | undefined>(undefined, undefined, { port: 81, route: true }, { port: 81, route: false }, { port: 80, route: true }),
});

/** The name of the `index`-th bundle's Gateway; its routes, Services and slices are named after it. */
function bundleName(index: number): string {
  return `b${index}`;
}

/**
 * `snapshot` with the `index`-th bundle appended to each list, as an informer would deliver its
 * objects (its Services left out when `shape.servicesLater`: withWaitingServices adds them).
 */
export function withBundle(snapshot: Snapshot, index: number, shape: BundleShape): Snapshot {
  const name = bundleName(index);
  const ns = shape.namespace;
  // Later than every generated timestamp, and later for each bundle added.
  const created = shape.created === 'newest' ? new Date(Date.UTC(2026, 1, 1) + index * 1000).toISOString() : shape.created === 'old' ? '2026-01-01T00:00:00Z' : '';
  const gateway = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns, uid: `gw-${ns}-${name}`, generation: 1, resourceVersion: '1', creationTimestamp: created },
    spec: {
      gatewayClassName: 'ours',
      listeners: [{ name: 'l1', port: 80, protocol: 'TCP' }, ...(shape.udp ? [{ name: 'l2', port: 53, protocol: 'UDP' }] : [])],
      ...(shape.requested === undefined ? {} : { addresses: [{ type: 'IPAddress', value: shape.requested }] }),
      ...(shape.admitsListenerSets ? { allowedListeners: { namespaces: { from: 'Same' } } } : {}),
    },
    ...(shape.held === undefined ? {} : { status: { addresses: [{ type: 'IPAddress', value: shape.held }] } }),
  };
  const routes: unknown[] = [];
  const services: unknown[] = [];
  const slices: unknown[] = [];
  for (let k = 0; k < shape.routes; k++) {
    const backend = `${name}-s${k}`;
    routes.push({
      apiVersion: 'gateway.networking.k8s.io/v1alpha2',
      kind: 'TCPRoute',
      metadata: { name: `${name}-r${k}`, namespace: ns, uid: `r-${ns}-${name}-${k}`, generation: 1, resourceVersion: '1', creationTimestamp: created, labels: {} },
      spec: { parentRefs: [{ name, sectionName: 'l1' }], rules: [{ backendRefs: [{ name: backend, port: 80 }] }] },
    });
    const address = k === 0 ? shape.serviceAddress : undefined;
    if (!shape.servicesLater) services.push(bundleService(ns, backend, address));
    slices.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${backend}-x`, namespace: ns, labels: { 'kubernetes.io/service-name': backend, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: Array.from({ length: shape.endpoints }, (_, i) => ({ addresses: [`10.1.${index % 250}.${k * 10 + i + 1}`], conditions: { ready: true } })),
    });
  }
  if (shape.nameTaken) services.push(bundleService(ns, `${name}-ours`, undefined));
  const listenerSets: unknown[] = [];
  if (shape.listenerSet !== undefined) {
    listenerSets.push(bundleListenerSet(ns, name, shape.listenerSet.port, created));
    if (shape.listenerSet.route) routes.push(routeThroughListenerSet(ns, name, created));
  }
  return {
    ...snapshot,
    gateways: upserted(snapshot.gateways, [gateway]),
    listenerSets: upserted(snapshot.listenerSets, listenerSets),
    tcpRoutes: upserted(snapshot.tcpRoutes, routes),
    services: upserted(snapshot.services, services),
    endpointSlices: upserted(snapshot.endpointSlices, slices),
  };
}

/**
 * `list` with each of `objects` in place of the one of its `namespace/name`, or appended: as an
 * informer's store takes an upsert (a bundle re-created under a name whose route stayed behind).
 */
function upserted(list: readonly unknown[], objects: readonly unknown[]): unknown[] {
  const out = list.slice();
  for (const object of objects) {
    const at = out.findIndex((o) => nameOf(o) === nameOf(object) && namespaceOf(o) === namespaceOf(object));
    if (at === -1) out.push(object);
    else out[at] = object;
  }
  return out;
}

/** The ListenerSet `<gateway>-ls` of `namespace`, naming the Gateway `gateway` there, with one TCP listener on `port`. */
function bundleListenerSet(namespace: string, gateway: string, port: number, created: string): unknown {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'ListenerSet',
    metadata: { name: `${gateway}-ls`, namespace, uid: `ls-${namespace}-${gateway}`, generation: 1, resourceVersion: '1', creationTimestamp: created },
    spec: { parentRef: { name: gateway }, listeners: [{ name: 'ls1', port, protocol: 'TCP' }] },
  };
}

/** The TCPRoute `<gateway>-lr` attached through the ListenerSet `<gateway>-ls` to the bundle's first backend (perhaps not there). */
function routeThroughListenerSet(namespace: string, gateway: string, created: string): unknown {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1alpha2',
    kind: 'TCPRoute',
    metadata: { name: `${gateway}-lr`, namespace, uid: `r-${namespace}-${gateway}-lr`, generation: 1, resourceVersion: '1', creationTimestamp: created, labels: {} },
    spec: { parentRefs: [{ kind: 'ListenerSet', name: `${gateway}-ls`, sectionName: 'ls1' }], rules: [{ backendRefs: [{ name: `${gateway}-s0`, port: 80 }] }] },
  };
}

/**
 * `snapshot` with a ListenerSet naming the `index`-th bundle's Gateway before it comes (and,
 * with `route`, a route through it), in every namespace: the Gateway's namespace is drawn only
 * when it comes, and one of them will name it then while it is added alone.
 */
export function withListenerSetsAhead(snapshot: Snapshot, index: number, route: boolean): Snapshot {
  const name = bundleName(index);
  const created = '2026-01-01T00:00:00Z';
  return {
    ...snapshot,
    listenerSets: upserted(snapshot.listenerSets, NAMESPACES.map((ns) => bundleListenerSet(ns, name, 81, created))),
    tcpRoutes: route ? upserted(snapshot.tcpRoutes, NAMESPACES.map((ns) => routeThroughListenerSet(ns, name, created))) : snapshot.tcpRoutes,
  };
}

/** A bundle's backend Service, of type LoadBalancer holding `address` when one is given. */
function bundleService(namespace: string, name: string, address: string | undefined): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, uid: `s-${namespace}-${name}`, resourceVersion: '1' },
    spec: {
      selector: { app: name },
      ...(address === undefined ? {} : { type: 'LoadBalancer', loadBalancerIP: address }),
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
    },
    ...(address === undefined ? {} : { status: { loadBalancer: { ingress: [{ ip: address }] } } }),
  };
}

/** `snapshot` with the Services that bundle routes name and that do not exist yet (routes that were waiting for them). */
export function withWaitingServices(snapshot: Snapshot): Snapshot {
  const have = new Set(snapshot.services.map((s) => `${namespaceOf(s)}/${nameOf(s)}`));
  const added: unknown[] = [];
  for (const route of snapshot.tcpRoutes) {
    for (const rule of (route as { spec?: { rules?: { backendRefs?: { name?: unknown }[] }[] } }).spec?.rules ?? []) {
      for (const ref of rule.backendRefs ?? []) {
        const key = `${namespaceOf(route)}/${String(ref.name)}`;
        if (typeof ref.name !== 'string' || !/^b\d+-s\d+$/.test(ref.name) || have.has(key)) continue;
        have.add(key);
        added.push(bundleService(namespaceOf(route), ref.name, undefined));
      }
    }
  }
  return added.length === 0 ? snapshot : { ...snapshot, services: [...snapshot.services, ...added] };
}

/** The index for a bundle added now: a fresh one, or with `reuse` that of a bundle no longer present (its generated objects may remain). */
export function bundleIndex(snapshot: Snapshot, bundles: number, reuse: boolean): number {
  if (!reuse) return bundles;
  const present = new Set(snapshot.gateways.map(nameOf));
  for (let i = 0; i < bundles; i++) if (!present.has(bundleName(i))) return i;
  return bundles;
}

type Meta = { metadata?: { namespace?: unknown; name?: unknown } };

function nameOf(o: unknown): string {
  return String((o as Meta).metadata?.name ?? '');
}

function namespaceOf(o: unknown): string {
  return String((o as Meta).metadata?.namespace ?? '');
}

/**
 * `snapshot` without its `pick`-th Gateway (of the bundles' only, with `bundlesOnly` while there
 * are some) and the routes of its namespace that name it, and, for a bundle's Gateway, its
 * Services and slices: a Gateway deleted with what is its own. The ListenerSets naming it, and
 * the routes attached through them, stay (a user deletes those separately, if at all).
 */
export function withoutGateway(snapshot: Snapshot, pick: number, bundlesOnly: boolean): Snapshot {
  const ofBundles = snapshot.gateways.filter((g) => /^b\d+$/.test(nameOf(g)));
  const candidates = bundlesOnly && ofBundles.length > 0 ? ofBundles : snapshot.gateways;
  if (candidates.length === 0) return snapshot;
  const gone = candidates[pick % candidates.length];
  const name = nameOf(gone);
  const ns = namespaceOf(gone);
  const namesIt = (route: unknown): boolean =>
    namespaceOf(route) === ns && ((route as { spec?: { parentRefs?: { name?: unknown; namespace?: unknown }[] } }).spec?.parentRefs ?? []).some((p) => p.name === name && (p.namespace === undefined || p.namespace === ns));
  // Its backends and their slices; what l4gw generated for it stays (plan would delete that).
  const own = (o: unknown): boolean => /^b\d+$/.test(name) && namespaceOf(o) === ns && new RegExp(`^${name}-s\\d+(-x)?$`).test(nameOf(o));
  const lists: SnapshotList[] = ['tcpRoutes', 'udpRoutes'];
  const out: Record<string, unknown> = { ...snapshot, gateways: snapshot.gateways.filter((g) => g !== gone) };
  for (const list of lists) out[list] = snapshot[list].filter((r) => !namesIt(r));
  out['services'] = snapshot.services.filter((s) => !own(s));
  out['endpointSlices'] = snapshot.endpointSlices.filter((s) => !own(s));
  return out as unknown as Snapshot;
}
