// The top-level entry point of core: one pure function from a cluster snapshot to the desired
// state (pipeline/pipeline.ts's stages, as the rules define them).

import { desiredState, PURE_STAGES } from './pipeline/pipeline.js';
import type { Desired } from './model/desired.js';
import type { ReconcileOptions } from './model/options.js';
import type { Snapshot } from './model/snapshot.js';

/**
 * Computes everything the controller wants the cluster to look like: statuses of our classes,
 * Gateways and routes, generated Services and EndpointSlices, edited objects (update-mode
 * Services, class finalizers, pinned Gateway addresses), Events, diagnostics and IPAM figures.
 * Pure and deterministic: no I/O, no clock (`options.now` stands in), no memory between calls,
 * the same output for any order of the snapshot's lists. Feed the result to `plan` to get the
 * writes. A controller that reconciles one cluster again and again uses an engine
 * (`createEngine`), which gives the same results faster.
 */
export function reconcile(snapshot: Snapshot, options: ReconcileOptions): Desired {
  return desiredState(snapshot, options, PURE_STAGES);
}
