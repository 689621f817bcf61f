// For tests: reconcile and plan whole snapshots with one engine's memory, so that the memory is
// exercised by any sequence of snapshots (objects shared or not, lists reordered), and compared
// with the pure `reconcile` and `plan`.

import type { Action, Desired } from '../model/desired.js';
import type { ReconcileOptions } from '../model/options.js';
import type { Snapshot } from '../model/snapshot.js';
import { engineMemory, rememberingPlan, rememberingStages } from './memory.js';
import { desiredState } from '../pipeline/pipeline.js';

export interface Remembering {
  reconcile(snapshot: Snapshot, options: ReconcileOptions): Desired;
  plan(desired: Desired, observed: Snapshot): Action[];
}

/** A reconcile and a plan that share one new memory across calls. */
export function remembering(): Remembering {
  const memory = engineMemory();
  const stages = rememberingStages(memory);
  return {
    reconcile: (snapshot, options) => desiredState(snapshot, options, stages),
    plan: (desired, observed) => rememberingPlan(memory, desired, observed),
  };
}
