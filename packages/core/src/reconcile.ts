// The top-level entry point of core: one pure function from a cluster snapshot to the desired
// state. The two halves meet here — the front half decides what Gateway API says (resolveGraph),
// the dataplane realises it (realiseDataplane), and statuses are built last because the
// dataplane can still find problems that belong in a route's status (DP2, DP5).

import { realiseDataplane } from './dataplane/realise.js';
import { resolveGraph } from './gateway/resolve.js';
import type { Desired } from './model/desired.js';
import type { KubeObject } from './model/kube.js';
import type { ReconcileOptions } from './model/options.js';
import type { Snapshot } from './model/snapshot.js';
import { buildStatuses } from './status/build.js';

/**
 * Computes everything the controller wants the cluster to look like: statuses of our classes,
 * Gateways and routes, generated Services and EndpointSlices, edited objects (update-mode
 * Services, class finalizers, pinned Gateway addresses), Events, diagnostics and IPAM figures.
 * Pure and deterministic: no I/O, no clock (`options.now` stands in), the same output for any
 * order of the snapshot's lists. Feed the result to `plan` to get the writes.
 */
export function reconcile(snapshot: Snapshot, options: ReconcileOptions): Desired {
  const graph = resolveGraph(snapshot, options);
  const dataplane = realiseDataplane(graph, options);
  const statuses = buildStatuses(graph, dataplane.feedback, options);
  return {
    statuses,
    objects: sortObjects([...graph.objects, ...dataplane.objects]),
    events: graph.events,
    diagnostics: [...graph.diagnostics, ...dataplane.diagnostics],
    poolUsage: graph.poolUsage,
    addresses: graph.addresses,
  };
}

const KIND_ORDER = ['GatewayClass', 'Gateway', 'Service', 'EndpointSlice'];

/**
 * Classes, Gateways, Services, EndpointSlices, each by `namespace/name`. Objects are put in a
 * bucket per kind (keeping their order), and a bucket is sorted only when it is not in order
 * already; comparisons read namespace and name in place instead of building a key string per
 * object (30k objects per 10k Gateways).
 */
function sortObjects(objects: readonly KubeObject[]): KubeObject[] {
  const buckets: KubeObject[][] = KIND_ORDER.map(() => []);
  const others: KubeObject[] = [];
  for (const object of objects) {
    const rank = KIND_ORDER.indexOf(object.kind);
    (rank < 0 ? others : (buckets[rank] as KubeObject[])).push(object);
  }
  buckets.push(others);
  const sorted: KubeObject[] = [];
  for (const bucket of buckets) {
    if (!isInOrder(bucket)) bucket.sort(compareByNamespacedName);
    for (const object of bucket) sorted.push(object);
  }
  return sorted;
}

function isInOrder(objects: readonly KubeObject[]): boolean {
  for (let i = 1; i < objects.length; i++) {
    if (compareByNamespacedName(objects[i - 1] as KubeObject, objects[i] as KubeObject) > 0) return false;
  }
  return true;
}

/** Orders like comparing `${namespace ?? ''}/${name}` strings by UTF-16 code units, without building them. */
function compareByNamespacedName(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an === bn) return compareUnits(a.metadata.name, b.metadata.name);
  const length = Math.min(an.length, bn.length);
  for (let i = 0; i < length; i++) {
    const d = an.charCodeAt(i) - bn.charCodeAt(i);
    if (d !== 0) return d;
  }
  // One namespace is a proper prefix of the other: the shorter one continues with '/'. Only when
  // the longer one has a '/' there too (not a valid namespace) are the whole keys compared.
  const d = an.length < bn.length ? SLASH - bn.charCodeAt(length) : an.charCodeAt(length) - SLASH;
  return d !== 0 ? d : compareUnits(`${an}/${a.metadata.name}`, `${bn}/${b.metadata.name}`);
}

const SLASH = 0x2f;

function compareUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
