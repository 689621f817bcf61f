import type { KubeObject, ObjectRef } from './kube.js';

/** A problem with an input that is not anybody's status: a bad IPAM key, an unparseable object. */
export interface Diagnostic {
  readonly severity: 'warning' | 'error';
  /** The object the problem is about, when there is one. */
  readonly object?: ObjectRef;
  readonly message: string;
}

/** A Kubernetes Event core wants emitted; the adapter de-duplicates and rate-limits. */
export interface EventRecord {
  readonly regarding: ObjectRef;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

/** The status subresource content core wants an object to have. */
export interface StatusIntent {
  readonly target: ObjectRef;
  /** The whole new `status`, including entries of other controllers that core preserved. */
  readonly status: Readonly<Record<string, unknown>>;
}

/** Pool capacity report (IP7); figures are decimal strings because IPv6 pools exceed 2^53. */
export interface PoolUsage {
  /** Where the pool came from, e.g. `kube-system/kubevip#range-global`. */
  readonly pool: string;
  readonly family: 'IPv4' | 'IPv6';
  readonly capacity: string;
  readonly used: string;
  readonly free: string;
}

/** Everything the controller wants the cluster to look like. */
export interface Desired {
  /** Statuses for classes, Gateways and routes that are ours (GC1, GW1, RT3). */
  readonly statuses: readonly StatusIntent[];
  /**
   * Whole objects core owns or edits: generated Services and EndpointSlices, update-mode
   * Services (DP4) in their changed or restored form, and Gateways whose spec/finalizers change
   * (GW5 `-pin-addresses`, GC5 finalizer on classes).
   */
  readonly objects: readonly KubeObject[];
  readonly events: readonly EventRecord[];
  readonly diagnostics: readonly Diagnostic[];
  readonly poolUsage: readonly PoolUsage[];
  /** Which Gateway holds which address, for `l4gw ipam` and metrics. */
  readonly addresses: readonly { readonly gateway: ObjectRef; readonly address: string }[];
}

/**
 * One write. `plan` emits the minimum: nothing when observed already equals desired.
 * `update` objects carry the observed `resourceVersion` so a concurrent change fails with 409.
 */
export type Action =
  | { readonly verb: 'create'; readonly object: KubeObject }
  | { readonly verb: 'update'; readonly object: KubeObject }
  | { readonly verb: 'delete'; readonly target: ObjectRef; readonly uid?: string }
  | {
      readonly verb: 'updateStatus';
      readonly target: ObjectRef;
      readonly status: Readonly<Record<string, unknown>>;
      readonly resourceVersion?: string;
    };
