// Public surface of @l4gw/core: what a controller embedding core calls and the types it passes
// in and gets back. The stages behind reconcile (parse, resolve, statuses, dataplane) and their
// Parsed* types are internal; IPAM has its own entry, `@l4gw/core/ipam` (src/ipam/index.ts), for
// property-testing allocation. test/public-api.test.ts keeps this entry at 15 runtime values or fewer.

// Reconcile a snapshot into the desired state, then plan the writes that get the cluster there.
export { reconcile } from './reconcile.js';
export { plan, isGenerated } from './plan/plan.js';

// One cluster reconciled again and again: an engine fed with the objects' changes, same results.
export { createEngine, type Delta, type Engine, type EngineOptions } from './engine/engine.js';
export type { Action, Desired, Diagnostic, EventRecord, PoolUsage, StatusIntent } from './model/desired.js';

// What reconcile reads: a snapshot of the cluster's objects, and the options.
export { emptySnapshot, SNAPSHOT_LIST_OF_KIND, type Snapshot, type SnapshotList } from './model/snapshot.js';
export type { Condition, KubeObject, ObjectMeta, ObjectRef, OwnerReference } from './model/kube.js';
export {
  DEFAULT_CONTROLLER_NAME,
  DEFAULT_IPAM_CONFIGMAP,
  defaultOptions,
  type ExternalTrafficPolicy,
  type LbAnnotations,
  type ReconcileOptions,
  type ServiceBehaviour,
} from './model/options.js';

// GC4: the Gateway API features a GatewayClass of ours claims, for conformance runs.
export { SUPPORTED_FEATURES } from './gateway/classes.js';
