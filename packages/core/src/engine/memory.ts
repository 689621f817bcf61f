// Everything core remembers between reconciles of one cluster, in one object that an engine owns
// (./engine.ts), and the stages that use it. Each stage's memory and the steps that remember are
// defined beside it in this folder (./resolve.ts, ./dataplane.ts, ./status.ts, ./plan.ts); the
// rules they call are pure and know nothing of it. This only puts them together, so that two
// engines in one process (two clusters, two controllers) never share or evict each other's.

import type { Action, Desired } from '../model/desired.js';
import type { Snapshot } from '../model/snapshot.js';
import { dataplaneMemory, rememberingDataplane, type DataplaneMemory } from './dataplane.js';
import type { Stages } from '../pipeline/pipeline.js';
import { planMemory, planWithMemory, type PlanMemory } from './plan.js';
import { rememberingResolve, resolveMemory, type ResolveMemory } from './resolve.js';
import type { ListHistory } from './parse-cache.js';
import { rememberingStatuses, statusMemory, type StatusMemory } from './status.js';

export interface EngineMemory {
  readonly resolve: ResolveMemory;
  readonly dataplane: DataplaneMemory;
  readonly status: StatusMemory;
  readonly plan: PlanMemory;
}

/**
 * An empty memory: the first reconcile with it computes everything. `history` says how a list the
 * engine hands out differs from the one before it (./object-store.ts), so parsing it need not walk it.
 */
export function engineMemory(history?: ListHistory): EngineMemory {
  return { resolve: resolveMemory(history), dataplane: dataplaneMemory(), status: statusMemory(), plan: planMemory() };
}

/** The stages of reconcile (pipeline/pipeline.ts), remembering their work in `memory`. */
export function rememberingStages(memory: EngineMemory): Stages {
  return {
    resolveGraph: (snapshot, options) => rememberingResolve(snapshot, options, memory.resolve),
    realiseDataplane: (graph, options) => rememberingDataplane(graph, options, memory.dataplane),
    buildStatuses: (graph, feedback, options) => rememberingStatuses(graph, feedback, options, memory.status),
  };
}

/** `plan(desired, observed)`, remembering its work in `memory`. */
export function rememberingPlan(memory: EngineMemory, desired: Desired, observed: Snapshot): Action[] {
  return planWithMemory(desired, observed, memory.plan);
}
