// The two core entry points the CLI drives, behind one small interface so offline commands and
// tests share the call sequence.

import { type Action, type Desired, type ReconcileOptions, type Snapshot, plan, reconcile } from '@l4gw/core';

export interface Engine {
  reconcile(snapshot: Snapshot, options: ReconcileOptions): Desired;
  plan(desired: Desired, observed: Snapshot): Action[];
}

/** Core's reconcile and plan. */
export function coreEngine(): Engine {
  return { reconcile, plan };
}
