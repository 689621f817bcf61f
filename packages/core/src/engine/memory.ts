// Everything core remembers between reconciles of one cluster, in one object that an engine owns
// (./engine.ts). Each stage defines what it keeps beside its code (gateway/resolve.ts,
// dataplane/realise.ts, status/build.ts, plan/plan.ts); this only puts them together, so that
// two engines in one process (two clusters, two controllers) never share or evict each other's.

import { dataplaneMemory, type DataplaneMemory } from '../dataplane/realise.js';
import { resolveMemory, type ResolveMemory } from '../gateway/resolve.js';
import { planMemory, type PlanMemory } from '../plan/plan.js';
import { statusMemory, type StatusMemory } from '../status/build.js';

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
