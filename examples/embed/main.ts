// Embedding @l4gw/core in another controller. Core is a pure function of plain objects: hand it
// what your informers hold, get back the statuses and objects l4gw wants, and let `plan` turn
// that into the writes your controller should issue. Core does no I/O, reads no clock and never
// throws, so it runs the same in a controller, a CLI, a test or a browser. It does remember
// results between calls in module memory (see packages/core/README.md), so hand it objects you
// do not edit in place.
//
// Run: pnpm --filter @l4gw/core build && node examples/embed/main.ts

import { type Action, type Snapshot, defaultOptions, emptySnapshot, plan, reconcile } from '@l4gw/core';

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

const desired = reconcile(snapshot, options);
const actions: Action[] = plan(desired, snapshot);

for (const { gateway, address } of desired.addresses) console.log(`address  ${gateway.namespace}/${gateway.name} = ${address}`);
for (const diagnostic of desired.diagnostics) console.log(`${diagnostic.severity}  ${diagnostic.message}`);
for (const action of actions) {
  const ref = action.verb === 'create' || action.verb === 'update' ? { kind: action.object.kind, ...action.object.metadata } : action.target;
  console.log(`${action.verb.padEnd(12)} ${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`);
}
// Applying these actions and reconciling again yields an empty plan (core's one-step fixpoint).
