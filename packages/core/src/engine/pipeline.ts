// The one sequence of stages from a snapshot to the desired state. The pure `reconcile` runs it
// without memory; an engine runs it with the memory it owns for its cluster (./memory.ts). The
// stages are the same either way, so the two can only differ if a memory hands back something a
// fresh computation would not give, which the property tests check.

import { realiseDataplane } from '../dataplane/realise.js';
import { resolveGraph } from '../gateway/resolve.js';
import type { Desired } from '../model/desired.js';
import type { ReconcileOptions } from '../model/options.js';
import { sortObjects } from '../model/order.js';
import type { Snapshot } from '../model/snapshot.js';
import { buildStatuses } from '../status/build.js';
import type { EngineMemory } from './memory.js';

/**
 * The desired state of `snapshot`. The two halves meet here: the front half decides what Gateway
 * API says (resolveGraph), the dataplane realises it (realiseDataplane), and statuses are built
 * last because the dataplane can still find problems that belong in a route's status (DP2, DP5).
 */
export function desiredState(snapshot: Snapshot, options: ReconcileOptions, memory: EngineMemory | undefined): Desired {
  const graph = resolveGraph(snapshot, options, memory?.resolve);
  const dataplane = realiseDataplane(graph, options, memory?.dataplane);
  const statuses = buildStatuses(graph, dataplane.feedback, options, memory?.status);
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
