// The top-level entry point of core: one pure function from a cluster snapshot to the desired
// state. The two halves meet here — the front half decides what Gateway API says (resolveGraph),
// the dataplane realises it (realiseDataplane), and statuses are built last because the
// dataplane can still find problems that belong in a route's status (DP2, DP5).

import { realiseDataplane } from './dataplane/realise.js';
import { resolveGraph } from './gateway/resolve.js';
import type { Desired } from './model/desired.js';
import type { ReconcileOptions } from './model/options.js';
import type { Snapshot } from './model/snapshot.js';
import { sortObjects } from './model/order.js';
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
    // Class finalizer and pinned-Gateway edits sort before every Service and EndpointSlice, and
    // the dataplane hands its objects out in the same order already: only the few edits are sorted.
    objects: [...sortObjects(graph.objects), ...dataplane.objects],
    events: graph.events,
    diagnostics: [...graph.diagnostics, ...dataplane.diagnostics],
    poolUsage: graph.poolUsage,
    addresses: graph.addresses,
  };
}
