// Plan (plan/plan.ts) with an engine's memory, which remembers work by object identity: the
// observed index per list, each generated object's comparison, the object writes and the status
// writes. So observed objects must be replaced when they change, never edited in place (as an
// informer's are).

import type { Action, Desired, StatusIntent } from '../model/desired.js';
import type { KubeObject } from '../model/kube.js';
import { recall, recallFor, ScratchInputs, type MemoByObject, type MemoSlot } from './memo.js';
import type { Snapshot } from '../model/snapshot.js';
import type { KindIndex, ListSpec, ObjectIndex } from '../plan/observed.js';
import {
  GENERATED_KINDS,
  objectWritesOf,
  planWith,
  PURE_PLAN_STEPS,
  statusWritesOf,
  type ObjectWrites,
  type PlanSteps,
  type StatusWrite,
} from '../plan/plan.js';

/** What plan remembers between calls for one cluster (an engine's). */
export interface PlanMemory {
  /**
   * Each observed list's index, reused while the list holds the very same objects in the same
   * order, as an informer's does until something changes: plan runs after every reconcile, and
   * re-indexing 100k unchanged objects was a third of an unchanged plan.
   */
  readonly observed: Record<ListSpec['list'], MemoSlot<KindIndex<KubeObject>>>;
  readonly objectWrites: MemoSlot<ObjectWrites>;
  /**
   * The status writes, with the statuses (reconcile hands out the same list while they are
   * unchanged), the observed objects (each kind's index is the same while its list is,
   * plan/observed.ts) and the plan's updates they were computed from: at 10k Gateways 30k status
   * comparisons that an unchanged cluster would repeat after every reconcile.
   */
  readonly statusWrites: MemoSlot<StatusWrite[]>;
  /**
   * generatedObjectMatches per desired object: reconcile hands out the same generated objects
   * while their inputs are unchanged, and an informer the same observed ones, so a converged
   * cluster's 30k Services and slices (per 10k Gateways) are compared once, not after every
   * reconcile.
   */
  readonly matches: MemoByObject<KubeObject, boolean>;
  /**
   * statusEqual per status intent and observed object: the status builder hands out the same
   * intent while its status is unchanged, so after one object changed the other 30k statuses (per
   * 10k Gateways) cost a lookup, not a comparison.
   */
  readonly statusMatches: MemoByObject<StatusIntent, boolean>;
  // The desired objects are the inputs (30k per 10k Gateways): one list refilled on every plan.
  readonly objectInputs: ScratchInputs;
  readonly matchInputs: ScratchInputs;
}

/** An empty PlanMemory. */
export function planMemory(): PlanMemory {
  return {
    observed: { gatewayClasses: {}, gateways: {}, listenerSets: {}, tcpRoutes: {}, udpRoutes: {}, services: {}, endpointSlices: {} },
    objectWrites: {},
    statusWrites: {},
    matches: new WeakMap(),
    statusMatches: new WeakMap(),
    objectInputs: new ScratchInputs(),
    matchInputs: new ScratchInputs(),
  };
}

/** `plan(desired, observed)`, remembering its work in `memory`. */
export function planWithMemory(desired: Desired, observed: Snapshot, memory: PlanMemory): Action[] {
  return planWith(desired, observed, rememberingSteps(memory));
}

/**
 * The parts of a plan, each remembered with exactly what it reads. The object writes and the
 * status writes apart: on a converged cluster both are the last ones; after a route edit or a
 * status of l4gw's own coming back, only the status writes are planned again.
 */
function rememberingSteps(memory: PlanMemory): PlanSteps {
  const steps: PlanSteps = {
    // recall keeps a copy of the items, so a list the caller refills in place is still compared
    // with what it held.
    indexList: (items, spec) => recall(memory.observed[spec.list], items, () => PURE_PLAN_STEPS.indexList(items, spec)),
    objectWrites: (desired, index, ours) => recall(memory.objectWrites, objectWritesInputs(desired, index, ours, memory), () => objectWritesOf(desired, index, ours, steps)),
    // Per desired object, with the observed one (replaced when it changes: a new resourceVersion).
    generatedMatches: (desired, observed) => {
      const inputs = memory.matchInputs.start();
      inputs.push(observed, observed.metadata, observed.metadata.resourceVersion);
      return recallFor(memory.matches, desired, inputs, () => PURE_PLAN_STEPS.generatedMatches(desired, observed));
    },
    statusWrites: (statuses, index, updates) =>
      recall(memory.statusWrites, [statuses, ...index.kindIndexes(), ...updates], () => statusWritesOf(statuses, index, updates, steps)),
    statusMatches: (intent, observed) => recallFor(memory.statusMatches, intent, [observed, observed['status']], () => PURE_PLAN_STEPS.statusMatches(intent, observed)),
  };
  return steps;
}

/**
 * What the object writes read: the desired objects, our classes (from the statuses) and the
 * observed objects of the kinds it looks at: those of the desired objects, the classes and the
 * generated kinds. Most watch events change none of these (a route edited, or a status of
 * l4gw's own coming back), so only the status writes are planned again.
 */
function objectWritesInputs(desired: Desired, index: ObjectIndex<KubeObject>, ours: ReadonlySet<string>, memory: PlanMemory): readonly unknown[] {
  const kinds = new Set<string>(['GatewayClass', ...GENERATED_KINDS]);
  const inputs = memory.objectInputs.start();
  inputs.push(desired.objects.length);
  for (const object of desired.objects) {
    inputs.push(object);
    kinds.add(object.kind);
  }
  inputs.push(ours.size, ...ours);
  for (const kind of [...kinds].sort()) inputs.push(kind, index.kindIndex(kind));
  return inputs;
}
