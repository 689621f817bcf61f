// Everything core remembers between reconciles of one cluster, in one object that an engine owns
// (./engine.ts), and the stages that use it. Each stage's memory is defined beside the stage that
// remembers (gateway/resolve.ts, dataplane/realise.ts, status/build.ts, plan/plan.ts); this only
// puts them together, so that two engines in one process (two clusters, two controllers) never
// share or evict each other's.

import type { Action, Desired } from '../model/desired.js';
import type { Snapshot } from '../model/snapshot.js';
import { dataplaneMemory, realiseDataplane, type DataplaneMemory } from '../dataplane/realise.js';
import { rememberingResolve, resolveMemory, type ResolveMemory } from './resolve.js';
import { planMemory, planWith, type PlanMemory } from '../plan/plan.js';
import { buildStatuses, statusMemory, type StatusMemory } from '../status/build.js';
import type { Stages } from './pipeline.js';

export interface EngineMemory {
  readonly resolve: ResolveMemory;
  readonly dataplane: DataplaneMemory;
  readonly status: StatusMemory;
  readonly plan: PlanMemory;
}

/** An empty memory: the first reconcile with it computes everything. */
export function engineMemory(): EngineMemory {
  return { resolve: resolveMemory(), dataplane: dataplaneMemory(), status: statusMemory(), plan: planMemory() };
}

/** The stages of reconcile (./pipeline.ts), remembering their work in `memory`. */
export function rememberingStages(memory: EngineMemory): Stages {
  return {
    resolveGraph: (snapshot, options) => rememberingResolve(snapshot, options, memory.resolve),
    realiseDataplane: (graph, options) => realiseDataplane(graph, options, memory.dataplane),
    buildStatuses: (graph, feedback, options) => buildStatuses(graph, feedback, options, memory.status),
  };
}

/** `plan(desired, observed)`, remembering its work in `memory`. */
export function rememberingPlan(memory: EngineMemory, desired: Desired, observed: Snapshot): Action[] {
  return planWith(desired, observed, memory.plan);
}
