// Equality rules of plan (R1): what counts as "already as desired". Two flavours, because core
// writes two kinds of objects. Objects it generated (Services, EndpointSlices) are compared only on
// the fields core sets, since the API server adds defaults (clusterIP, nodePort, sessionAffinity…)
// that must not trigger a write. Objects core edits (a user's Service in update mode, a class
// finalizer, a pinned Gateway spec) are desired whole, derived from the observed object, so they
// are compared whole, minus what the server manages.

import { OWNED_ANNOTATION_KEYS } from '../model/labels.js';

/** A plain JSON object. */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when every field present in `desired` has the same value in `observed`, recursively.
 * Arrays must have the same length and match element by element. `undefined` in `desired`
 * means "not ours to say".
 */
export function isSubset(desired: unknown, observed: unknown): boolean {
  if (desired === undefined) return true;
  if (Array.isArray(desired)) {
    if (!Array.isArray(observed) || observed.length !== desired.length) return false;
    for (let i = 0; i < desired.length; i++) if (!isSubset(desired[i], observed[i])) return false;
    return true;
  }
  if (isJsonObject(desired)) {
    if (!isJsonObject(observed)) return false;
    for (const key in desired) if (!isSubset(desired[key], observed[key])) return false;
    return true;
  }
  return desired === observed;
}

/**
 * Deep equality of JSON values, skipping the key `ignore` (if given) at every depth. Absent keys and keys
 * set to `undefined` are the same thing (JSON has no `undefined`).
 */
export function deepEqual(a: unknown, b: unknown, ignore?: string): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i], ignore)) return false;
    return true;
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    // Two passes instead of a union Set: this runs on every status of every reconcile (R1).
    for (const key in a) {
      if (key === ignore) continue;
      if (!deepEqual(a[key], b[key], ignore)) return false;
    }
    for (const key in b) {
      if (key === ignore || Object.hasOwn(a, key)) continue;
      if (b[key] !== undefined) return false;
    }
    return true;
  }
  return false;
}

/** Conditions are compared without `lastTransitionTime` (GW7: only a status change moves it). */
const STATUS_IGNORED_KEY = 'lastTransitionTime';

/** True when two `status` values are equal, ignoring every `lastTransitionTime`. */
export function statusEqual(desired: unknown, observed: unknown): boolean {
  return deepEqual(desired, observed ?? {}, STATUS_IGNORED_KEY);
}

/** Metadata the API server owns; never compared, never written back from desired state. */
const SERVER_METADATA: ReadonlySet<string> = new Set([
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

/** Metadata fields where an absent value and an empty one mean the same. */
const EMPTY_MEANS_ABSENT: ReadonlySet<string> = new Set(['labels', 'annotations', 'finalizers', 'ownerReferences']);

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}

/**
 * True when an edited object (desired whole) already matches the observed one: every top-level
 * field except `status` and the metadata the server manages. Empty and absent labels,
 * annotations, finalizers and ownerReferences are equal.
 */
export function editedObjectMatches(desired: JsonObject, observed: JsonObject): boolean {
  const keys = new Set([...Object.keys(desired), ...Object.keys(observed)]);
  for (const key of keys) {
    if (key === 'status' || key === 'metadata') continue;
    if (!deepEqual(desired[key], observed[key])) return false;
  }
  const dm = isJsonObject(desired['metadata']) ? desired['metadata'] : {};
  const om = isJsonObject(observed['metadata']) ? observed['metadata'] : {};
  const metaKeys = new Set([...Object.keys(dm), ...Object.keys(om)]);
  for (const key of metaKeys) {
    if (SERVER_METADATA.has(key)) continue;
    if (EMPTY_MEANS_ABSENT.has(key) && isEmpty(dm[key]) && isEmpty(om[key])) continue;
    if (!deepEqual(dm[key], om[key])) return false;
  }
  return true;
}

/**
 * True when a generated object already carries every field core sets: its labels and
 * annotations (a subset: others may add theirs, but l4gw's infrastructure record and announcer
 * annotations must match exactly), its ownerReferences exactly, and every other
 * top-level field (`spec`, `endpoints`, `ports`, `addressType`…) as a subset, so server defaults
 * are ignored.
 */
export function generatedObjectMatches(desired: JsonObject, observed: JsonObject): boolean {
  const dm = isJsonObject(desired['metadata']) ? desired['metadata'] : {};
  const om = isJsonObject(observed['metadata']) ? observed['metadata'] : {};
  if (!isSubset(dm['labels'] ?? {}, om['labels'] ?? {})) return false;
  if (!isSubset(dm['annotations'] ?? {}, om['annotations'] ?? {})) return false;
  // l4gw's own annotations are compared exactly: a record dropped or shrunk (keys removed from
  // the Gateway, GW8), or an announcer key the current style does not write (DP6), makes an
  // update that removes it.
  for (const key of OWNED_ANNOTATION_KEYS) if (annotation(dm, key) !== annotation(om, key)) return false;
  if (hasStaleLoadBalancerIP(desired, observed)) return false;
  if (dm['ownerReferences'] !== undefined && !deepEqual(dm['ownerReferences'], om['ownerReferences'] ?? [])) {
    return false;
  }
  for (const key in desired) {
    if (key === 'metadata' || key === 'status' || key === 'apiVersion' || key === 'kind') continue;
    if (!isSubset(desired[key], observed[key])) return false;
  }
  return true;
}

/**
 * True when a generated Service still carries a `spec.loadBalancerIP` that core no longer sets
 * (the announcer style became MetalLB, which refuses the field beside its annotation, DP6).
 */
export function hasStaleLoadBalancerIP(desired: JsonObject, observed: JsonObject): boolean {
  if (desired['kind'] !== 'Service') return false;
  const ds = isJsonObject(desired['spec']) ? desired['spec'] : {};
  const os = isJsonObject(observed['spec']) ? observed['spec'] : {};
  return ds[LOAD_BALANCER_IP] === undefined && os[LOAD_BALANCER_IP] !== undefined;
}

const LOAD_BALANCER_IP = 'loadBalancerIP';

function annotation(metadata: JsonObject, key: string): unknown {
  const annotations = metadata['annotations'];
  return isJsonObject(annotations) ? annotations[key] : undefined;
}
