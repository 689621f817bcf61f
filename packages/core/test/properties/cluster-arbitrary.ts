// fast-check generators of plausible clusters: small name spaces so that Gateways, routes,
// Services and addresses collide often, and every field drawn from values that exercise a rule
// (wrong protocols, unknown kinds, missing Services, tight pools, static requests, behaviours).

import fc from 'fast-check';
import type { ReconcileOptions, Snapshot } from '../../src/index.js';
import { defaultOptions } from '../../src/index.js';

export const CONTROLLER = 'kube-vip.io/controller';
const NAMESPACES = ['default', 'apps', 'data'] as const;
const GATEWAYS = ['g1', 'g2', 'g3'] as const;
const CLASSES = ['ours', 'ours-params', 'theirs'] as const;
const SERVICES = ['s1', 's2', 's3'] as const;
const TIMES = ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', ''] as const;
const PORTS = [80, 81, 53] as const;

const namespace = fc.constantFrom(...NAMESPACES);
const time = fc.constantFrom(...TIMES);
const port = fc.constantFrom(...PORTS);

const gatewayClass = fc.record({
  name: fc.constantFrom(...CLASSES),
  params: fc.boolean(),
}).map(({ name, params }) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GatewayClass',
  metadata: { name, generation: 1, uid: `c-${name}`, resourceVersion: '1' },
  spec: {
    controllerName: name === 'theirs' ? 'example.com/other' : CONTROLLER,
    ...(params || name === 'ours-params' ? { parametersRef: { group: '', kind: 'ConfigMap', name: 'params', namespace: 'default' } } : {}),
  },
}));

const listener = fc.record({
  name: fc.constantFrom('l1', 'l2', 'l3'),
  port,
  protocol: fc.constantFrom('TCP', 'TCP', 'UDP', 'HTTP'),
  from: fc.constantFrom(undefined, 'Same', 'All', 'Selector'),
  kinds: fc.constantFrom(undefined, ['TCPRoute'], ['UDPRoute'], ['Bogus']),
}).map(({ name, port: p, protocol, from, kinds }) => ({
  name,
  port: p,
  protocol,
  ...(from === undefined && kinds === undefined
    ? {}
    : {
        allowedRoutes: {
          ...(from === undefined ? {} : { namespaces: { from, ...(from === 'Selector' ? { selector: { matchLabels: { team: 'blue' } } } : {}) } }),
          ...(kinds === undefined ? {} : { kinds: kinds.map((kind) => ({ kind })) }),
        },
      }),
}));

const gateway = fc.record({
  name: fc.constantFrom(...GATEWAYS),
  namespace,
  className: fc.constantFrom(...CLASSES, 'missing'),
  listeners: fc.uniqueArray(listener, { minLength: 1, maxLength: 3, selector: (l) => l.name }),
  addresses: fc.constantFrom(undefined, [], [{ type: 'IPAddress' }], [{ type: 'IPAddress', value: '192.0.2.11' }], [{ type: 'IPAddress', value: 'bogus' }], [{ type: 'Hostname', value: 'x.example' }]),
  held: fc.constantFrom(undefined, '192.0.2.10', '192.0.2.12'),
  created: time,
  generation: fc.integer({ min: 1, max: 3 }),
  allowedListeners: fc.constantFrom(undefined, { namespaces: { from: 'Same' } }, { namespaces: { from: 'All' } }, { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'blue' } } } }, { namespaces: { from: 'None' } }),
}).map((g) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: g.name, namespace: g.namespace, uid: `gw-${g.namespace}-${g.name}`, generation: g.generation, resourceVersion: '1', creationTimestamp: g.created },
  spec: {
    gatewayClassName: g.className,
    listeners: g.listeners,
    ...(g.addresses === undefined ? {} : { addresses: g.addresses }),
    ...(g.allowedListeners === undefined ? {} : { allowedListeners: g.allowedListeners }),
  },
  ...(g.held === undefined ? {} : { status: { addresses: [{ type: 'IPAddress', value: g.held }] } }),
}));

/** ListenerSets naming the Gateways (LS1–LS4): listeners as a Gateway's, so they meet its ports. */
const listenerSet = fc.record({
  name: fc.constantFrom('ls1', 'ls2'),
  namespace,
  parent: fc.constantFrom(...GATEWAYS),
  parentNamespace: fc.option(namespace, { nil: undefined }),
  listeners: fc.uniqueArray(listener, { minLength: 1, maxLength: 2, selector: (l) => l.name }),
  created: time,
}).map((l) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'ListenerSet',
  metadata: { name: l.name, namespace: l.namespace, uid: `ls-${l.namespace}-${l.name}`, generation: 1, resourceVersion: '1', creationTimestamp: l.created },
  spec: { parentRef: { name: l.parent, ...(l.parentNamespace === undefined ? {} : { namespace: l.parentNamespace }) }, listeners: l.listeners },
}));

/** Route behaviours drawn by label, with and without the prototype's selector labels. */
const routeLabels = fc.constantFrom(
  {},
  { serviceBehaviour: 'create', selectorkey: 'app', selectorvalue: 's1' },
  { serviceBehaviour: 'create', selectorkey: 'app' },
  { serviceBehaviour: 'duplicate' },
  { serviceBehaviour: 'update' },
  { serviceBehaviour: 'bogus' },
  { selectorkey: 'app', selectorvalue: 's1' },
);

const route = fc.record({
  kind: fc.constantFrom('TCPRoute', 'UDPRoute'),
  apiVersion: fc.constantFrom('gateway.networking.k8s.io/v1alpha2', 'gateway.networking.k8s.io/v1'),
  name: fc.constantFrom('r1', 'r2', 'r3'),
  namespace,
  parents: fc.array(
    fc.record({ kind: fc.constantFrom(undefined, undefined, 'ListenerSet'), name: fc.constantFrom(...GATEWAYS), namespace: fc.option(namespace, { nil: undefined }), sectionName: fc.option(fc.constantFrom('l1', 'l2', 'nope'), { nil: undefined }), port: fc.option(port, { nil: undefined }) }),
    { minLength: 1, maxLength: 2 },
  ),
  backends: fc.array(
    fc.record({ name: fc.constantFrom(...SERVICES), namespace: fc.option(namespace, { nil: undefined }), port: fc.constantFrom(80, 53, 9999), weight: fc.constantFrom(undefined, 0, 1, 70), kind: fc.constantFrom(undefined, 'Service', 'Bucket') }),
    { minLength: 0, maxLength: 3 },
  ),
  rules: fc.integer({ min: 1, max: 2 }),
  labels: routeLabels,
  created: time,
}).map((r) => {
  const backendRefs = r.backends.map((b) => ({
    name: b.name,
    port: b.port,
    ...(b.namespace === undefined ? {} : { namespace: b.namespace }),
    ...(b.weight === undefined ? {} : { weight: b.weight }),
    ...(b.kind === undefined ? {} : { kind: b.kind, ...(b.kind === 'Bucket' ? { group: 'example.com' } : {}) }),
  }));
  return {
    apiVersion: r.apiVersion,
    kind: r.kind,
    metadata: { name: r.name, namespace: r.namespace, uid: `r-${r.namespace}-${r.name}`, generation: 1, resourceVersion: '1', creationTimestamp: r.created, labels: r.labels },
    spec: {
      parentRefs: r.parents.map((p) => ({
        ...(p.kind === undefined ? { name: p.name } : { kind: p.kind, name: p.name === GATEWAYS[0] ? 'ls1' : 'ls2' }),
        ...(p.namespace === undefined ? {} : { namespace: p.namespace }),
        ...(p.sectionName === undefined ? {} : { sectionName: p.sectionName }),
        ...(p.port === undefined ? {} : { port: p.port }),
      })),
      rules: Array.from({ length: r.rules }, () => ({ backendRefs })),
    },
  };
});

const service = fc.record({
  name: fc.constantFrom(...SERVICES),
  namespace,
  type: fc.constantFrom(undefined, 'ClusterIP', 'ExternalName', 'LoadBalancer'),
  targetPort: fc.constantFrom(undefined, 8080, 'http'),
  lbIP: fc.constantFrom(undefined, '192.0.2.10', '192.0.2.11'),
}).map((s) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: s.name, namespace: s.namespace, uid: `s-${s.namespace}-${s.name}`, resourceVersion: '1' },
  spec: {
    ...(s.type === undefined ? {} : { type: s.type }),
    ...(s.type === 'ExternalName' ? { externalName: 'example.com' } : { selector: { app: s.name } }),
    ...(s.lbIP === undefined ? {} : { loadBalancerIP: s.lbIP }),
    ports: [
      { name: 'http', port: 80, protocol: 'TCP', ...(s.targetPort === undefined ? {} : { targetPort: s.targetPort }) },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ],
  },
}));

const endpointSlice = fc.record({
  service: fc.constantFrom(...SERVICES),
  namespace,
  family: fc.constantFrom('IPv4', 'IPv6'),
  count: fc.integer({ min: 0, max: 3 }),
  suffix: fc.constantFrom('a', 'b'),
}).map((e) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: {
    name: `${e.service}-${e.family.toLowerCase()}-${e.suffix}`,
    namespace: e.namespace,
    labels: { 'kubernetes.io/service-name': e.service, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
  },
  addressType: e.family,
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: Array.from({ length: e.count }, (_, i) => ({
    addresses: [e.family === 'IPv4' ? `10.0.${e.suffix === 'a' ? 1 : 2}.${i + 1}` : `fd00::${e.suffix}:${i + 1}`],
    conditions: { ready: i !== 2 },
  })),
}));

const grant = fc.record({ namespace, from: namespace, kind: fc.constantFrom('TCPRoute', 'UDPRoute') }).map((g) => ({
  apiVersion: 'gateway.networking.k8s.io/v1beta1',
  kind: 'ReferenceGrant',
  metadata: { name: `from-${g.from}-${g.kind.toLowerCase()}`, namespace: g.namespace },
  spec: { from: [{ group: 'gateway.networking.k8s.io', kind: g.kind, namespace: g.from }], to: [{ group: '', kind: 'Service' }] },
}));

const pool = fc.constantFrom('192.0.2.10-192.0.2.12', '192.0.2.10/31', '0.0.0.0/32', '192.0.2.10-192.0.2.12,fd00:1::/126');

/** Keeps the first object of each kind/namespace/name, as the API server would hold one. */
function unique<T>(objects: readonly T[]): T[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const m = (o as { kind: string; metadata: { namespace?: string; name: string } });
    const key = `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A sparse cluster: objects drawn independently, so most combinations are broken somewhere. */
const sparseCluster: fc.Arbitrary<Snapshot> = fc
  .record({
    classes: fc.array(gatewayClass, { maxLength: 3 }),
    gateways: fc.array(gateway, { maxLength: 5 }),
    listenerSets: fc.array(listenerSet, { maxLength: 3 }),
    routes: fc.array(route, { maxLength: 5 }),
    services: fc.array(service, { maxLength: 5 }),
    slices: fc.array(endpointSlice, { maxLength: 5 }),
    grants: fc.array(grant, { maxLength: 2 }),
    pool,
    classPool: fc.boolean(),
    classAnnouncer: fc.constantFrom<Record<string, string>>({}, { lbAnnotations: 'metallb' }, { lbAnnotations: 'none', externalTrafficPolicy: 'Local' }, { lbAnnotations: 'bogus' }),
  })
  .map((c) => ({
    gatewayClasses: unique(c.classes),
    gateways: unique(c.gateways),
    listenerSets: unique(c.listenerSets),
    tcpRoutes: unique(c.routes.filter((r) => r.kind === 'TCPRoute')),
    udpRoutes: unique(c.routes.filter((r) => r.kind === 'UDPRoute')),
    referenceGrants: unique(c.grants),
    namespaces: NAMESPACES.map((name) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...(name === 'apps' ? { team: 'blue' } : {}) } },
    })),
    services: unique(c.services),
    endpointSlices: unique(c.slices),
    configMaps: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubevip', namespace: 'kube-system' }, data: { 'range-global': c.pool } },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'params', namespace: 'default' },
        data: { serviceBehaviour: 'duplicate', ...c.classAnnouncer, ...(c.classPool ? { 'cidr-global': '198.51.100.8/30' } : {}) },
      },
    ],
  }));

/**
 * A coherent cluster: every Gateway of our class, each route naming one of them through a
 * listener of its protocol, backed by Services that exist with EndpointSlices, and a pool large
 * enough. Here the dataplane runs (Services, EndpointSlices, update mode), which the sparse
 * clusters above seldom reach; behaviours, weights and addresses still vary.
 */
export const coherentCluster: fc.Arbitrary<Snapshot> = fc
  .record({
    gateways: fc.uniqueArray(
      fc.record({ name: fc.constantFrom(...GATEWAYS), namespace, udp: fc.boolean(), held: fc.constantFrom(undefined, '192.0.2.10', '192.0.2.15'), created: time }),
      { minLength: 1, maxLength: 3, selector: (g) => `${g.namespace}/${g.name}` },
    ),
    routes: fc.array(
      fc.record({ gateway: fc.nat(), udp: fc.boolean(), name: fc.constantFrom('r1', 'r2', 'r3'), service: fc.constantFrom(...SERVICES), weight: fc.constantFrom(undefined, 0, 1), labels: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: routeLabels }), created: time }),
      { maxLength: 4 },
    ),
    slices: fc.array(fc.record({ service: fc.constantFrom(...SERVICES), suffix: fc.constantFrom('a', 'b'), count: fc.integer({ min: 0, max: 3 }) }), { maxLength: 6 }),
    lbAddress: fc.constantFrom(undefined, '192.0.2.11'),
  })
  .map((c) => {
    const gateways = c.gateways.map((g) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: g.name, namespace: g.namespace, uid: `gw-${g.namespace}-${g.name}`, generation: 1, resourceVersion: '1', creationTimestamp: g.created },
      spec: {
        gatewayClassName: 'ours',
        listeners: [{ name: 'l1', port: 80, protocol: 'TCP' }, ...(g.udp ? [{ name: 'l2', port: 53, protocol: 'UDP' }] : [])],
      },
      ...(g.held === undefined ? {} : { status: { addresses: [{ type: 'IPAddress', value: g.held }] } }),
    }));
    const namespaces = [...new Set(c.gateways.map((g) => g.namespace))];
    const routes = c.routes.map((r) => {
      const g = c.gateways[r.gateway % c.gateways.length]!;
      const kind = r.udp && g.udp ? 'UDPRoute' : 'TCPRoute';
      return {
        apiVersion: 'gateway.networking.k8s.io/v1alpha2',
        kind,
        metadata: { name: r.name, namespace: g.namespace, uid: `r-${g.namespace}-${r.name}`, generation: 1, resourceVersion: '1', creationTimestamp: r.created, labels: r.labels },
        spec: {
          parentRefs: [{ name: g.name, sectionName: kind === 'UDPRoute' ? 'l2' : 'l1' }],
          rules: [{ backendRefs: [{ name: r.service, port: kind === 'UDPRoute' ? 53 : 80, ...(r.weight === undefined ? {} : { weight: r.weight }) }] }],
        },
      };
    });
    const services = namespaces.flatMap((ns) =>
      SERVICES.map((name, i) => ({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: ns, uid: `s-${ns}-${name}`, resourceVersion: '1' },
        spec: {
          selector: { app: name },
          ...(i === 0 && c.lbAddress !== undefined ? { type: 'LoadBalancer', loadBalancerIP: c.lbAddress } : {}),
          ports: [
            { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
            { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 },
          ],
        },
      })),
    );
    const slices = namespaces.flatMap((ns) =>
      c.slices.map((e) => ({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${e.service}-${e.suffix}`, namespace: ns, labels: { 'kubernetes.io/service-name': e.service, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: Array.from({ length: e.count }, (_, i) => ({ addresses: [`10.0.${e.suffix === 'a' ? 1 : 2}.${i + 1}`], conditions: { ready: true } })),
      })),
    );
    return {
      gatewayClasses: [
        { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'ours', generation: 1, uid: 'c-ours', resourceVersion: '1' }, spec: { controllerName: CONTROLLER } },
      ],
      gateways,
      listenerSets: [],
      tcpRoutes: unique(routes.filter((r) => r.kind === 'TCPRoute')),
      udpRoutes: unique(routes.filter((r) => r.kind === 'UDPRoute')),
      referenceGrants: [],
      namespaces: NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } })),
      services,
      endpointSlices: unique(slices),
      configMaps: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubevip', namespace: 'kube-system' }, data: { 'range-global': '192.0.2.10-192.0.2.20' } }],
    } as unknown as Snapshot;
  });

/** A plausible cluster snapshot (objects unique by identity, as an API server holds them): sparse or coherent. */
export const clusterArbitrary: fc.Arbitrary<Snapshot> = fc.oneof(sparseCluster, coherentCluster);

/** Options drawn from the combinations users run with (pinning left out: it takes two rounds by design). */
export const optionsArbitrary: fc.Arbitrary<ReconcileOptions> = fc
  .record({
    serviceBehaviour: fc.constantFrom('endpoints', 'create', 'duplicate', 'update') as fc.Arbitrary<ReconcileOptions['serviceBehaviour']>,
    lbAnnotations: fc.constantFrom('kube-vip', 'metallb', 'cilium', 'none') as fc.Arbitrary<ReconcileOptions['lbAnnotations']>,
    // The options IPAM reads: requests outside the pools allowed or not, and a pool ConfigMap that
    // exists or not (then every Gateway without a class pool waits for an address).
    allowUnpooledAddresses: fc.boolean(),
    ipamConfigMap: fc.constantFrom('kube-system/kubevip', 'kube-system/kubevip', 'kube-system/missing'),
    // The clock: statuses stamp it on changed conditions; the rest of reconcile must not read it.
    now: fc.constantFrom('2026-05-01T12:00:00Z', '2026-05-01T12:00:00Z', '2026-05-01T12:00:09Z'),
  })
  .map((o) => ({ ...defaultOptions(o.now), ...o }));
