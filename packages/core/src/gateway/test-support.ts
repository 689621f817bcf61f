// Builders of raw input objects for the front half's tests (not exported from the package).
// Each returns plain JSON exactly as the API server would, with small, readable defaults.

import { defaultOptions, type ReconcileOptions } from '../model/options.js';
import { emptySnapshot, type Snapshot, type SnapshotList } from '../model/snapshot.js';
import type { Condition } from '../model/kube.js';
import type { StatusIntent } from '../model/desired.js';
import type { RouteFeedback } from '../model/graph.js';
import { resolveGraph } from './resolve.js';
import { buildStatuses } from '../status/build.js';

export const CONTROLLER = 'kube-vip.io/controller';
export const NOW = '2026-01-01T00:00:00Z';
export const EARLIER = '2025-01-01T00:00:00Z';

export function options(extra: Partial<ReconcileOptions> = {}): ReconcileOptions {
  return { ...defaultOptions(NOW), ...extra };
}

export type Json = Record<string, unknown>;

export function gatewayClass(name = 'l4', extra: { controllerName?: string; parametersRef?: Json; status?: Json; finalizers?: string[] } = {}): Json {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name, generation: 1, uid: `uid-class-${name}`, ...(extra.finalizers ? { finalizers: extra.finalizers } : {}) },
    spec: {
      controllerName: extra.controllerName ?? CONTROLLER,
      ...(extra.parametersRef ? { parametersRef: extra.parametersRef } : {}),
    },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

export interface ListenerSpec {
  name: string;
  port: number;
  protocol?: string;
  allowedRoutes?: Json;
}

export function gateway(
  name: string,
  listeners: ListenerSpec[],
  extra: {
    namespace?: string;
    className?: string;
    addresses?: Json[];
    infrastructure?: Json;
    status?: Json;
    generation?: number;
    creationTimestamp?: string;
    allowedListeners?: Json;
  } = {},
): Json {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: {
      name,
      namespace: extra.namespace ?? 'default',
      generation: extra.generation ?? 1,
      uid: `uid-gw-${name}`,
      creationTimestamp: extra.creationTimestamp ?? EARLIER,
    },
    spec: {
      gatewayClassName: extra.className ?? 'l4',
      listeners: listeners.map((l) => ({ protocol: 'TCP', ...l })),
      ...(extra.addresses ? { addresses: extra.addresses } : {}),
      ...(extra.infrastructure ? { infrastructure: extra.infrastructure } : {}),
      ...(extra.allowedListeners ? { allowedListeners: extra.allowedListeners } : {}),
    },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

/** A ListenerSet in `namespace` naming Gateway `parent` (in the ListenerSet's namespace unless given). */
export function listenerSet(
  name: string,
  parentRef: Json,
  listeners: ListenerSpec[],
  extra: { namespace?: string; creationTimestamp?: string } = {},
): Json {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'ListenerSet',
    metadata: { name, namespace: extra.namespace ?? 'default', generation: 1, uid: `uid-ls-${name}`, creationTimestamp: extra.creationTimestamp ?? EARLIER },
    spec: { parentRef, listeners: listeners.map((l) => ({ protocol: 'TCP', ...l })) },
  };
}

export function route(
  kind: 'TCPRoute' | 'UDPRoute',
  name: string,
  parentRefs: Json[],
  backendRefs: Json[][],
  extra: { namespace?: string; apiVersion?: string; labels?: Record<string, string>; creationTimestamp?: string; status?: Json; generation?: number } = {},
): Json {
  return {
    apiVersion: extra.apiVersion ?? 'gateway.networking.k8s.io/v1',
    kind,
    metadata: {
      name,
      namespace: extra.namespace ?? 'default',
      generation: extra.generation ?? 1,
      uid: `uid-${kind}-${name}`,
      creationTimestamp: extra.creationTimestamp ?? EARLIER,
      ...(extra.labels ? { labels: extra.labels } : {}),
    },
    spec: { parentRefs, rules: backendRefs.map((refs) => ({ backendRefs: refs })) },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

export function tcpRoute(name: string, parentRefs: Json[], backendRefs: Json[], extra: Parameters<typeof route>[4] = {}): Json {
  return route('TCPRoute', name, parentRefs, [backendRefs], extra);
}

export function service(
  name: string,
  ports: Json[],
  extra: { namespace?: string; type?: string; selector?: Record<string, string>; labels?: Record<string, string>; annotations?: Record<string, string>; loadBalancerIP?: string; ingress?: string[] } = {},
): Json {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: extra.namespace ?? 'default',
      uid: `uid-svc-${name}`,
      ...(extra.labels ? { labels: extra.labels } : {}),
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
    },
    spec: {
      type: extra.type ?? 'ClusterIP',
      ports,
      ...(extra.selector ? { selector: extra.selector } : {}),
      ...(extra.loadBalancerIP ? { loadBalancerIP: extra.loadBalancerIP } : {}),
    },
    ...(extra.ingress ? { status: { loadBalancer: { ingress: extra.ingress.map((ip) => ({ ip })) } } } : {}),
  };
}

export function endpointSlice(name: string, serviceName: string, addresses: string[], extra: { namespace?: string; port?: number; portName?: string } = {}): Json {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: extra.namespace ?? 'default', labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: 'IPv4',
    ports: [{ name: extra.portName ?? '', port: extra.port ?? 8080, protocol: 'TCP' }],
    endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready: true, serving: true, terminating: false } })),
  };
}

export function configMap(namespace: string, name: string, data: Record<string, string>): Json {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

export function namespace(name: string, labels: Record<string, string> = {}): Json {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

export function referenceGrant(namespace: string, name: string, from: Json[], to: Json[], apiVersion = 'gateway.networking.k8s.io/v1beta1'): Json {
  return { apiVersion, kind: 'ReferenceGrant', metadata: { name, namespace }, spec: { from, to } };
}

/** The kube-vip ConfigMap with one global range. */
export function kubevip(data: Record<string, string> = { 'range-global': '10.0.0.10-10.0.0.20' }): Json {
  return configMap('kube-system', 'kubevip', data);
}

/** A snapshot with our class, the kube-vip pool, and whatever is given. */
export function snapshot(
  extra: Partial<Record<SnapshotList, unknown[]>> & { crdBundleVersions?: Record<string, string>; heldBackAddresses?: string[] } = {},
): Snapshot {
  const base = emptySnapshot();
  return {
    ...base,
    gatewayClasses: [gatewayClass()],
    configMaps: [kubevip()],
    ...extra,
  };
}

/** A TCP parentRef to a Gateway in `default`. */
export function parent(name: string, extra: Json = {}): Json {
  return { name, ...extra };
}

/** A backendRef to a Service. */
export function backend(name: string, port: number, extra: Json = {}): Json {
  return { name, port, ...extra };
}

/** Resolves and builds statuses; returns them by `Kind/namespace/name` (no namespace for classes). */
export function statuses(s: Snapshot, opts: ReconcileOptions = options(), feedback: RouteFeedback[] = []): Map<string, Record<string, unknown>> {
  const graph = resolveGraph(s, opts);
  const out = new Map<string, Record<string, unknown>>();
  for (const intent of buildStatuses(graph, feedback, opts)) out.set(intentKey(intent), intent.status as Record<string, unknown>);
  return out;
}

function intentKey(i: StatusIntent): string {
  return i.target.namespace === undefined ? `${i.target.kind}/${i.target.name}` : `${i.target.kind}/${i.target.namespace}/${i.target.name}`;
}

/** The condition of `type` in a status-like object's `conditions`. */
export function cond(holder: unknown, type: string): Condition | undefined {
  const list = (holder as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  return list.find((c) => c.type === type);
}

/** `status.listeners` entry by name. */
export function listenerStatus(gatewayStatus: Record<string, unknown> | undefined, name: string): Record<string, unknown> | undefined {
  const list = (gatewayStatus?.['listeners'] as Record<string, unknown>[] | undefined) ?? [];
  return list.find((l) => l['name'] === name);
}

/** The route's `status.parents` entries. */
export function parents(routeStatus: Record<string, unknown> | undefined): Record<string, unknown>[] {
  return (routeStatus?.['parents'] as Record<string, unknown>[] | undefined) ?? [];
}

/** Condition status and reason as `True/Accepted`, for compact assertions. */
export function sr(c: Condition | undefined): string {
  return c === undefined ? 'absent' : `${c.status}/${c.reason}`;
}
