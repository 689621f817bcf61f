// Embedding @l4gw/core in another controller, two ways:
// 1. the pure call: hand `reconcile` a snapshot of what your informers hold, get back the
//    statuses and objects l4gw wants, and let `plan` turn that into the writes to issue. It does
//    no I/O, reads no clock, never throws and keeps nothing between calls;
// 2. the engine: one per cluster, fed each change your informers see. It gives the same results,
//    and after a change only recomputes what the change touched.
//
// Run: pnpm --filter @l4gw/core build && node examples/embed/main.ts

import { type Action, type Snapshot, createEngine, defaultOptions, emptySnapshot, plan, reconcile, type SnapshotList } from '@l4gw/core';

const namespace = 'shop';

// A cluster as your informers would hold it: plain JSON, exactly as the API server returns it.
const snapshot: Snapshot = {
  ...emptySnapshot(),
  gatewayClasses: [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'vip', uid: 'class-uid', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { controllerName: 'example.com/l4' },
    },
  ],
  gateways: [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'db', namespace, uid: 'gateway-uid', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { gatewayClassName: 'vip', listeners: [{ name: 'postgres', port: 5432, protocol: 'TCP' }] },
    },
  ],
  tcpRoutes: [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TCPRoute',
      metadata: { name: 'postgres', namespace, uid: 'route-uid', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { parentRefs: [{ name: 'db' }], rules: [{ backendRefs: [{ name: 'postgres', port: 5432 }] }] },
    },
  ],
  services: [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'postgres', namespace, uid: 'service-uid' },
      spec: { selector: { app: 'postgres' }, ports: [{ name: 'pg', port: 5432, targetPort: 5432, protocol: 'TCP' }] },
    },
  ],
  endpointSlices: [
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'postgres-x1', namespace, labels: { 'kubernetes.io/service-name': 'postgres' } },
      addressType: 'IPv4',
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.0.0.7'], conditions: { ready: true, serving: true, terminating: false } }],
    },
  ],
  configMaps: [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kubevip', namespace: 'kube-system' },
      data: { 'range-global': '192.168.50.10-192.168.50.20' },
    },
  ],
};

// Your controller owns the clock and the configuration.
const options = { ...defaultOptions(new Date().toISOString()), controllerName: 'example.com/l4' };

// 1. The pure call.
const desired = reconcile(snapshot, options);
const actions: Action[] = plan(desired, snapshot);

for (const { gateway, address } of desired.addresses) console.log(`address  ${gateway.namespace}/${gateway.name} = ${address}`);
for (const diagnostic of desired.diagnostics) console.log(`${diagnostic.severity}  ${diagnostic.message}`);
printActions(actions);

// 2. The engine: created once with the options but the clock, then fed changes as they come (an
// informer's add/update/delete handlers, or a whole list after a relist).
const { now, ...engineOptions } = options;
const engine = createEngine(engineOptions);
const lists: SnapshotList[] = ['gatewayClasses', 'gateways', 'tcpRoutes', 'services', 'endpointSlices', 'configMaps'];
engine.apply(...lists.map((list) => ({ type: 'relist' as const, list, objects: snapshot[list] })));
const fromEngine = engine.plan(engine.reconcile(now));
console.log(`engine   same plan as reconcile: ${JSON.stringify(fromEngine) === JSON.stringify(actions) ? 'yes' : 'no'}`);

// A Pod became ready behind the backend: one EndpointSlice changed. The engine plans the writes
// for the cluster as it now is (here the generated objects do not exist yet, so they are
// created with the new endpoint).
const slice = snapshot.endpointSlices[0] as { metadata: object; endpoints: unknown[] };
engine.apply({
  type: 'upsert',
  list: 'endpointSlices',
  object: { ...slice, metadata: { ...slice.metadata, resourceVersion: '2' }, endpoints: [...slice.endpoints, { addresses: ['10.0.0.8'], conditions: { ready: true } }] },
});
const after = engine.reconcile(now);
const mirrored = after.objects.filter((o) => o.kind === 'EndpointSlice').flatMap((o) => (o as unknown as { endpoints: { addresses: string[] }[] }).endpoints.flatMap((e) => e.addresses));
console.log(`engine   after the slice changed, mirrored endpoints: ${mirrored.join(', ')}`);

function printActions(list: readonly Action[]): void {
  for (const action of list) {
    const ref = action.verb === 'create' || action.verb === 'update' ? { kind: action.object.kind, ...action.object.metadata } : action.target;
    console.log(`${action.verb.padEnd(12)} ${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`);
  }
}
// Applying these actions and reconciling again yields an empty plan (core's one-step fixpoint).
