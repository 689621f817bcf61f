// The one sequence of stages from a snapshot to the desired state. The pure `reconcile` runs it
// with the stages as the rules define them (PURE_STAGES); an engine runs it with stages that
// remember their work for its cluster (engine/memory.ts). The sequence is the same either way, so the
// two can only differ if a remembering stage hands back something the pure one would not give,
// which the property tests check.

import { realiseDataplane, type DataplaneResult } from '../dataplane/realise.js';
import { resolveGraph } from '../gateway/resolve.js';
import type { Desired, StatusIntent } from '../model/desired.js';
import type { ResolvedGraph, RouteFeedback } from '../model/graph.js';
import type { ReconcileOptions } from '../model/options.js';
import { sortObjects } from '../model/order.js';
import type { Snapshot } from '../model/snapshot.js';
import { buildStatuses } from '../status/build.js';

/** The three stages of a reconcile, each a function of its arguments. */
export interface Stages {
  resolveGraph(snapshot: Snapshot, options: ReconcileOptions): ResolvedGraph;
  realiseDataplane(graph: ResolvedGraph, options: ReconcileOptions): DataplaneResult;
  buildStatuses(graph: ResolvedGraph, feedback: readonly RouteFeedback[], options: ReconcileOptions): StatusIntent[];
}

/** The stages as the rules define them: nothing is remembered between calls. */
export const PURE_STAGES: Stages = Object.freeze({
  resolveGraph: (snapshot: Snapshot, options: ReconcileOptions) => resolveGraph(snapshot, options),
  realiseDataplane: (graph: ResolvedGraph, options: ReconcileOptions) => realiseDataplane(graph, options),
  buildStatuses: (graph: ResolvedGraph, feedback: readonly RouteFeedback[], options: ReconcileOptions) => buildStatuses(graph, feedback, options),
});

/**
 * The desired state of `snapshot`. The two halves meet here: the front half decides what Gateway
 * API says (resolveGraph), the dataplane realises it (realiseDataplane), and statuses are built
 * last because the dataplane can still find problems that belong in a route's status (DP2, DP5).
 */
export function desiredState(snapshot: Snapshot, options: ReconcileOptions, stages: Stages): Desired {
  const graph = stages.resolveGraph(snapshot, options);
  const dataplane = stages.realiseDataplane(graph, options);
  const statuses = stages.buildStatuses(graph, dataplane.feedback, options);
  return {
    statuses,
    // Class finalizer and pinned-Gateway edits sort before every Service and EndpointSlice, and
    // the dataplane hands its objects out in the same order already: only the few edits are
    // sorted. Usually there are none, and the dataplane's list (one of the longest) is not copied.
    objects: graph.objects.length === 0 ? dataplane.objects : sortObjects(graph.objects).concat(dataplane.objects),
    events: graph.events,
    diagnostics: graph.diagnostics.length === 0 ? dataplane.diagnostics : graph.diagnostics.concat(dataplane.diagnostics),
    poolUsage: graph.poolUsage,
    addresses: graph.addresses,
  };
}
