// R1: from desired state and the observed cluster to the minimal list of writes. Pure and
// deterministic: the same inputs give the same actions in the same order, and an observed
// cluster that already matches gives no actions at all.

import type { Action, Desired, StatusIntent } from '../model/desired.js';
import type { KubeObject, ObjectRef } from '../model/kube.js';
import {
  ENDPOINTSLICE_MANAGED_BY_VALUE,
  LABEL_ENDPOINTSLICE_MANAGED_BY,
  LABEL_GATEWAY_CLASS_NAME,
  LABEL_MANAGED_BY,
  MANAGED_BY_VALUE,
} from '../model/labels.js';
import { labelValueFor } from '../dataplane/names.js';
import { compareStrings, kindRank } from '../model/order.js';
import type { Snapshot } from '../model/snapshot.js';
import { editedObjectMatches, generatedObjectMatches, isJsonObject, statusEqual } from './compare.js';
import { groupOf, refOf } from './identity.js';
import { mergeGenerated, withResourceVersion } from './merge.js';
import { indexList, indexObserved, ObjectIndex, type ListIndexer } from './observed.js';

/** The kinds l4gw generates, and so the only ones garbage collection looks at (DP8). */
export const GENERATED_KINDS = ['Service', 'EndpointSlice'] as const;

/**
 * Turns `desired` into the writes that make `observed` match it:
 * - `create` a generated object that does not exist; `update` one whose core-owned fields differ
 *   (carrying the observed resourceVersion); an object of someone else's that happens to have the
 *   name of a generated one is never touched;
 * - `update` an edited object (update-mode Service, class finalizer, pinned Gateway) that differs
 *   from its desired whole form; an edited object that no longer exists is skipped;
 * - `delete` every Service and EndpointSlice l4gw generated that is no longer desired (DP8);
 * - `updateStatus` where the status differs, conditions compared without lastTransitionTime.
 * Actions come in a fixed order: creates, updates, deletes, then status updates; within each,
 * Services before EndpointSlices and then by namespace and name. Pure: it keeps nothing.
 */
export function plan(desired: Desired, observed: Snapshot): Action[] {
  return planWith(desired, observed, PURE_PLAN_STEPS);
}

/** The object writes of a plan (creates, updates, deletes, sorted) and its updates alone, which status writes need. */
export interface ObjectWrites {
  readonly actions: readonly Action[];
  readonly updates: readonly KubeObject[];
}

export type StatusWrite = Extract<Action, { verb: 'updateStatus' }>;

/**
 * The parts of a plan, which an engine remembers (engine/plan.ts). Each is a function of its
 * arguments; observed objects are replaced when they change, never edited in place.
 */
export interface PlanSteps {
  /** The index of one observed list (./observed.ts). */
  readonly indexList: ListIndexer;
  /** The creates, updates and deletes (objectWritesOf), given our classes (`ours`). */
  objectWrites(desired: Desired, index: ObjectIndex<KubeObject>, ours: ReadonlySet<string>): ObjectWrites;
  /** Whether a generated object's observed form has every field core sets. */
  generatedMatches(desired: KubeObject, observed: KubeObject): boolean;
  /** The status writes (statusWritesOf), given the object updates of the same plan. */
  statusWrites(statuses: Desired['statuses'], index: ObjectIndex<KubeObject>, updates: readonly KubeObject[]): StatusWrite[];
  /** Whether a status intent is the observed object's status, conditions compared without lastTransitionTime. */
  statusMatches(intent: StatusIntent, observed: KubeObject): boolean;
}

/** The steps as the rules define them: nothing is remembered. */
export const PURE_PLAN_STEPS: PlanSteps = Object.freeze<PlanSteps>({
  indexList,
  objectWrites: (desired, index, ours) => objectWritesOf(desired, index, ours, PURE_PLAN_STEPS),
  generatedMatches: generatedObjectMatches,
  statusWrites: (statuses, index, updates) => statusWritesOf(statuses, index, updates, PURE_PLAN_STEPS),
  statusMatches: (intent, observed) => statusEqual(intent.status, observed['status']),
});

/** `plan`, with its parts done by `steps`. */
export function planWith(desired: Desired, observed: Snapshot, steps: PlanSteps): Action[] {
  const index = indexObserved(observed, steps.indexList);
  const objects = steps.objectWrites(desired, index, ourClasses(desired));
  return [...objects.actions, ...steps.statusWrites(desired.statuses, index, objects.updates)];
}

/** The creates, updates and deletes that make the observed objects in `index` match `desired`, given our classes. */
export function objectWritesOf(desired: Desired, index: ObjectIndex<KubeObject>, ours: ReadonlySet<string>, steps: PlanSteps): ObjectWrites {
  const creates: KubeObject[] = [];
  const updates: KubeObject[] = [];
  // The first desired object for an identity wins: the observed objects already spoken for (by
  // identity, no key built), and the identities of those that do not exist yet.
  const kept = new Set<KubeObject>();
  const missing = new ObjectIndex<true>();

  for (const object of desired.objects) {
    const { apiVersion, kind, metadata } = object;
    const current = index.get(apiVersion, kind, metadata.namespace, metadata.name);
    if (current === undefined) {
      if (missing.add(groupOf(apiVersion), kind, metadata.namespace, metadata.name, true) && isGenerated(object)) creates.push(object);
      continue;
    }
    if (kept.has(current)) continue;
    kept.add(current);
    if (isGenerated(object)) {
      if (isGenerated(current) && current.metadata.deletionTimestamp === undefined && !steps.generatedMatches(object, current)) {
        updates.push(mergeGenerated(object, current));
      }
    } else if (!editedObjectMatches(object, current)) {
      updates.push(withResourceVersion(object, current));
    }
  }

  // DP8: only kinds l4gw generates can be garbage. Objects generated for a class that exists and
  // belongs to another l4gw instance (another -gateway-class-name) are that instance's to
  // collect: two instances must not delete each other's Services forever.
  const foreignClasses = otherControllersClasses(ours, index.ofKind('GatewayClass'));
  const deletes: { target: ObjectRef; uid?: string }[] = [];
  for (const kind of GENERATED_KINDS) {
    for (const current of index.ofKind(kind)) {
      if (!isGenerated(current) || current.metadata.deletionTimestamp !== undefined) continue;
      const className = current.metadata.labels?.[LABEL_GATEWAY_CLASS_NAME];
      if (className !== undefined && foreignClasses.has(className)) continue;
      if (kept.has(current)) continue;
      const uid = current.metadata.uid;
      deletes.push(uid === undefined ? { target: refOf(current) } : { target: refOf(current), uid });
    }
  }

  const actions = [
    ...sortByRef(creates, refOf).map((object): Action => ({ verb: 'create', object })),
    ...sortByRef(updates, refOf).map((object): Action => ({ verb: 'update', object })),
    ...sortByRef(deletes, (d) => d.target).map((d): Action => ({ verb: 'delete', ...d })),
  ];
  return { actions, updates };
}

/** The status writes for the statuses that differ from the observed ones, given the object updates of the same plan. */
export function statusWritesOf(statuses: Desired['statuses'], index: ObjectIndex<KubeObject>, updates: readonly KubeObject[], steps: PlanSteps): StatusWrite[] {
  // An update in this plan moves the object's resourceVersion, so a status write of the same
  // object carrying the observed one would fail with 409. Those objects (our classes getting
  // the GC5 finalizer, pinned Gateways) have no other status writer, so their status update
  // goes without a precondition rather than waiting for another round.
  const updated = new ObjectIndex<true>();
  for (const u of updates) updated.add(groupOf(u.apiVersion), u.kind, u.metadata.namespace, u.metadata.name, true);
  const writes: StatusWrite[] = [];
  for (const intent of statuses) {
    const { apiVersion, kind, namespace, name } = intent.target;
    const current = index.get(apiVersion, kind, namespace, name);
    if (current === undefined || steps.statusMatches(intent, current)) continue;
    const resourceVersion = updated.get(apiVersion, kind, namespace, name) ? undefined : current.metadata.resourceVersion;
    writes.push({
      verb: 'updateStatus',
      target: intent.target,
      status: intent.status,
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    });
  }
  // Only the writes are sorted, not every status: an unchanged cluster has 30k statuses per 10k
  // Gateways and no writes. (The sort is stable, so which of two intents for the same object
  // comes first does not change.)
  return sortByRef(writes, (u) => u.target);
}

/** Our classes: exactly those core reports a status for (GC1). */
function ourClasses(desired: Desired): Set<string> {
  const ours = new Set<string>();
  for (const s of desired.statuses) if (s.target.kind === 'GatewayClass') ours.add(s.target.name);
  return ours;
}

/** Label values (GW8) of the observed GatewayClasses that are not ours. */
function otherControllersClasses(ours: ReadonlySet<string>, observedClasses: Iterable<KubeObject>): Set<string> {
  const foreign = new Set<string>();
  for (const gc of observedClasses) if (!ours.has(gc.metadata.name)) foreign.add(labelValueFor(gc.metadata.name));
  return foreign;
}

/**
 * True for objects l4gw generated (DP8). EndpointSlices need their own managed-by label too:
 * the Kubernetes EndpointSlice controller copies a Service's labels onto the slices it makes for
 * selector Services (DP2, DP3), and those slices are not ours to delete.
 */
export function isGenerated(object: KubeObject): boolean {
  const labels = object.metadata.labels;
  if (!isJsonObject(labels) || labels[LABEL_MANAGED_BY] !== MANAGED_BY_VALUE) return false;
  if (object.kind !== 'EndpointSlice') return true;
  return labels[LABEL_ENDPOINTSLICE_MANAGED_BY] === ENDPOINTSLICE_MANAGED_BY_VALUE;
}

/**
 * Sorts by kind (kindRank: the order writes go in), then namespace and name. The sort key is built once per item, not
 * once per comparison: plans and status lists run to tens of thousands of entries.
 */
function sortByRef<T>(items: readonly T[], refOfItem: (item: T) => ObjectRef): T[] {
  return items
    .map((item) => {
      const ref = refOfItem(item);
      return { item, rank: kindRank(ref.kind), key: `${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}` };
    })
    .sort((a, b) => a.rank - b.rank || compareStrings(a.key, b.key))
    .map((entry) => entry.item);
}
