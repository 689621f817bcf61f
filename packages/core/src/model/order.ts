// The orders of core's output (R1: output independent of input order), each defined once here:
// - strings by UTF-16 code unit (compareStrings), the same in every locale;
// - kinds: classes, Gateways, Services before their EndpointSlices, routes, then any other kind
//   by name (kindRank), the order writes go in and desired objects are listed in;
// - desired objects by kind, then within a kind by `namespace/name` (sortObjects). The dataplane
//   and reconcile both hand out lists in this order.

import type { KubeObject } from './kube.js';

/** Code-unit order: stable across locales, unlike localeCompare. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const KIND_ORDER = ['GatewayClass', 'Gateway', 'Service', 'EndpointSlice', 'TCPRoute', 'UDPRoute'];

/** The place of a kind in KIND_ORDER; every other kind shares the last place (compare by name there). */
export function kindRank(kind: string): number {
  const rank = KIND_ORDER.indexOf(kind);
  return rank < 0 ? KIND_ORDER.length : rank;
}

/**
 * Sorts objects into the order above. Objects are put in a bucket per kind (keeping their
 * order), and a bucket is sorted only when it is not in order already; comparisons read
 * namespace and name in place instead of building a key string per object (30k objects per 10k
 * Gateways). Lists that are concatenations of sorted lists therefore cost one scan.
 */
export function sortObjects(objects: readonly KubeObject[]): KubeObject[] {
  // One bucket per kind of KIND_ORDER, and a last one for any other kind.
  const buckets: KubeObject[][] = [...KIND_ORDER, ''].map(() => []);
  for (const object of objects) (buckets[kindRank(object.kind)] as KubeObject[]).push(object);
  const sorted: KubeObject[] = [];
  for (const bucket of buckets) {
    if (!isInOrder(bucket)) bucket.sort(compareObjects);
    for (const object of bucket) sorted.push(object);
  }
  return sorted;
}

/** The order of sortObjects as a comparison: by kind as above, then within the kind. */
export function compareInOrder(a: KubeObject, b: KubeObject): number {
  return kindRank(a.kind) - kindRank(b.kind) || compareObjects(a, b);
}

function isInOrder(objects: readonly KubeObject[]): boolean {
  for (let i = 1; i < objects.length; i++) {
    if (compareObjects(objects[i - 1] as KubeObject, objects[i] as KubeObject) > 0) return false;
  }
  return true;
}

/** Within a bucket: by namespace/name; kinds outside KIND_ORDER (one bucket) by kind first. */
function compareObjects(a: KubeObject, b: KubeObject): number {
  return a.kind === b.kind ? compareByNamespacedName(a, b) : compareStrings(a.kind, b.kind);
}

/** Orders like comparing `${namespace ?? ''}/${name}` strings by UTF-16 code units, without building them. */
function compareByNamespacedName(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an === bn) return compareStrings(a.metadata.name, b.metadata.name);
  const length = Math.min(an.length, bn.length);
  for (let i = 0; i < length; i++) {
    const d = an.charCodeAt(i) - bn.charCodeAt(i);
    if (d !== 0) return d;
  }
  // One namespace is a proper prefix of the other: the shorter one continues with '/'. Only when
  // the longer one has a '/' there too (not a valid namespace) are the whole keys compared.
  const d = an.length < bn.length ? SLASH - bn.charCodeAt(length) : an.charCodeAt(length) - SLASH;
  return d !== 0 ? d : compareStrings(`${an}/${a.metadata.name}`, `${bn}/${b.metadata.name}`);
}

const SLASH = 0x2f;
