// The two core entry points the CLI drives. Core's contract (packages/core/src/model) is fixed;
// its implementation lands separately, so the functions are looked up at run time and a build of
// core without them gives a clear runtime error instead of a crash.

import * as core from '@l4gw/core';
import type { Action, Desired, ReconcileOptions, Snapshot } from '@l4gw/core';
import { CliError, ExitCode } from './errors.js';

export interface Engine {
  reconcile(snapshot: Snapshot, options: ReconcileOptions): Desired;
  plan(desired: Desired, observed: Snapshot): Action[];
}

/** Core's reconcile and plan, or an error (exit code 1) naming what this build lacks. */
export function coreEngine(): Engine {
  const exports = core as Record<string, unknown>;
  const reconcile = exports['reconcile'];
  const plan = exports['plan'];
  if (typeof reconcile !== 'function' || typeof plan !== 'function') {
    throw new CliError(ExitCode.runtime, 'this build of @l4gw/core does not export reconcile() and plan() yet');
  }
  return {
    reconcile: reconcile as Engine['reconcile'],
    plan: plan as Engine['plan'],
  };
}
