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
    objects: [...graph.objects, ...dataplane.objects].sort(compareObjects),
    events: graph.events,
    diagnostics: [...graph.diagnostics, ...dataplane.diagnostics],
    poolUsage: graph.poolUsage,
    addresses: graph.addresses,
  };
}

const KIND_ORDER = ['GatewayClass', 'Gateway', 'Service', 'EndpointSlice'];

function compareObjects(a: KubeObject, b: KubeObject): number {
  const rank = (o: KubeObject) => {
    const i = KIND_ORDER.indexOf(o.kind);
    return i < 0 ? KIND_ORDER.length : i;
  };
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return rank(a) - rank(b) || (ka < kb ? -1 : ka > kb ? 1 : 0);
}
