// The one stateful part of core: an engine holds one cluster's objects, fed to it as they change
// (the deltas an informer or a watch delivers), and the memory of its last reconcile and plan
// (./memory.ts). Its results are exactly the pure `reconcile` and `plan` of the objects it
// holds; what the memory buys is speed: after a delta, only what it touched is computed again
// (or, where a stage cannot tell, that stage runs whole). Create one per cluster; nothing is
// shared between engines.

import type { Action, Desired } from '../model/desired.js';
import type { ReconcileOptions } from '../model/options.js';
import { SNAPSHOT_LIST_OF_KIND, type Snapshot, type SnapshotList } from '../model/snapshot.js';
import { engineMemory, rememberingPlan, rememberingStages, type EngineMemory } from './memory.js';
import { ObjectStore, type ListChanges } from './object-store.js';
import { desiredState, type Stages } from '../pipeline/pipeline.js';

/** One change to the objects an engine holds. */
export type Delta =
  /** An object added or changed, into the snapshot list `list` (`SNAPSHOT_LIST_OF_KIND` maps kinds to lists). */
  | { readonly type: 'upsert'; readonly list: SnapshotList; readonly object: unknown }
  /** The object of that `namespace/name` (or `name`, cluster-scoped) removed from `list`. */
  | { readonly type: 'delete'; readonly list: SnapshotList; readonly namespace?: string; readonly name: string }
  /** Every object of `list` replaced by `objects` (a list call, a resync). */
  | { readonly type: 'relist'; readonly list: SnapshotList; readonly objects: readonly unknown[] }
  /** The installed Gateway API CRDs' bundle versions (GC3); undefined when unknown. */
  | { readonly type: 'crdBundleVersions'; readonly versions: Readonly<Record<string, string>> | undefined }
  /** IP8: the addresses IPAM must not hand out fresh for now (`Snapshot.heldBackAddresses`). */
  | { readonly type: 'heldBackAddresses'; readonly addresses: readonly string[] };

/** Every option but `now`, which each reconcile is given. */
export type EngineOptions = Omit<ReconcileOptions, 'now'>;

/** The engine's interface, as an embedder holds it. */
export interface Engine {
  /** Applies changes, in order. Cheap: the work happens in `reconcile`. */
  apply(...deltas: readonly Delta[]): void;
  /** The objects held, as a snapshot (the same list instances until their list changes). */
  snapshot(): Snapshot;
  /** `reconcile(this.snapshot(), { ...options, now })`, from what the last call left. */
  reconcile(now: string): Desired;
  /** `plan(desired, this.snapshot())`, from what the last call left. */
  plan(desired: Desired): Action[];
}

const LISTS: readonly SnapshotList[] = Object.values(SNAPSHOT_LIST_OF_KIND);

/** An engine for one cluster, holding no objects yet. */
export function createEngine(options: EngineOptions): Engine {
  return new ClusterEngine(options);
}

class ClusterEngine implements Engine {
  private readonly stores = new Map<SnapshotList, ObjectStore>(LISTS.map((list) => [list, new ObjectStore()]));
  private crdBundleVersions: Readonly<Record<string, string>> | undefined;
  private heldBackAddresses: readonly string[] = [];
  private readonly memory: EngineMemory = engineMemory((before, after) => this.changesBetween(before, after));
  private readonly stages: Stages = rememberingStages(this.memory);

  constructor(private readonly options: EngineOptions) {}

  apply(...deltas: readonly Delta[]): void {
    for (const delta of deltas) {
      if (delta.type === 'crdBundleVersions') {
        this.crdBundleVersions = delta.versions;
        continue;
      }
      if (delta.type === 'heldBackAddresses') {
        this.heldBackAddresses = delta.addresses;
        continue;
      }
      const store = this.stores.get(delta.list);
      if (store === undefined) throw new Error(`engine: no snapshot list ${JSON.stringify(delta.list)}`);
      if (delta.type === 'upsert') store.upsert(delta.object);
      else if (delta.type === 'delete') store.delete(delta.namespace, delta.name);
      else store.replaceAll(delta.objects);
    }
  }

  snapshot(): Snapshot {
    const lists = Object.fromEntries([...this.stores].map(([list, store]) => [list, store.list()])) as Record<SnapshotList, readonly unknown[]>;
    return {
      ...lists,
      ...(this.crdBundleVersions !== undefined ? { crdBundleVersions: this.crdBundleVersions } : {}),
      ...(this.heldBackAddresses.length > 0 ? { heldBackAddresses: this.heldBackAddresses } : {}),
    };
  }

  /** How a list handed out differs from the one its store handed out before it, when only upserts came between. */
  private changesBetween(before: readonly unknown[], after: readonly unknown[]): ListChanges | undefined {
    for (const store of this.stores.values()) {
      const changes = store.changesSince(before, after);
      if (changes !== undefined) return changes;
    }
    return undefined;
  }

  reconcile(now: string): Desired {
    return desiredState(this.snapshot(), { ...this.options, now }, this.stages);
  }

  plan(desired: Desired): Action[] {
    return rememberingPlan(this.memory, desired, this.snapshot());
  }
}
