// Public surface of @l4gw/core. Everything a consumer may import is re-exported here.
export type { Condition, KubeObject, ObjectMeta, ObjectRef, OwnerReference } from './model/kube.js';
export { emptySnapshot, SNAPSHOT_LIST_OF_KIND, type Snapshot, type SnapshotList } from './model/snapshot.js';
export {
  DEFAULT_CONTROLLER_NAME,
  DEFAULT_IPAM_CONFIGMAP,
  defaultOptions,
  type LbAnnotations,
  type ReconcileOptions,
  type ServiceBehaviour,
} from './model/options.js';
export type {
  Action,
  Desired,
  Diagnostic,
  EventRecord,
  PoolUsage,
  StatusIntent,
} from './model/desired.js';
// Front half of reconcile: parsing, resolution, statuses (issue 4).
export * from './model/graph.js';
export type * from './model/parsed.js';
export { resolveGraph } from './gateway/resolve.js';
export { buildStatuses } from './status/build.js';
export { parseSnapshot, type ParsedSnapshot } from './parse/snapshot.js';
export { condition, mergeConditions } from './status/conditions.js';
export { ClassReason, ConditionType, GatewayReason, ListenerReason, RouteReason } from './status/reasons.js';
export { Message } from './status/messages.js';
export { SUPPORTED_BUNDLE_VERSIONS, SUPPORTED_FEATURES } from './gateway/classes.js';
// IPAM: pools, allocator, usage report (IP1–IP7, issue 2).
export * from './ipam/index.js';
// Dataplane half of reconcile, plan and the top-level entry point (issue 4).
export { reconcile } from './reconcile.js';
export { plan, isGenerated } from './plan/plan.js';
export { realiseDataplane, type DataplaneResult } from './dataplane/realise.js';
export { dns1035Name, labelValueFor } from './dataplane/names.js';
