// The observed side of plan: the snapshot's raw objects indexed by identity. Informer lists
// often omit `apiVersion`/`kind` on items, so the kind comes from the list an object sits in.
//
// The index is nested (kind → namespace → name) rather than keyed by one concatenated string:
// plan looks up every desired object and status of a 50k-object cluster, and hashing a freshly
// built key string per lookup was the largest cost of an unchanged plan (R1).

import type { KubeObject } from '../model/kube.js';
import type { Snapshot } from '../model/snapshot.js';
import { isJsonObject } from './compare.js';

/** Which snapshot list holds which kind, and the apiVersion to assume when an item has none. */
export interface ListSpec {
  readonly list: 'gatewayClasses' | 'gateways' | 'listenerSets' | 'tcpRoutes' | 'udpRoutes' | 'services' | 'endpointSlices';
  readonly group: string;
  readonly kind: string;
  readonly apiVersion: string;
}

const LISTS: readonly ListSpec[] = [
  { list: 'gatewayClasses', group: 'gateway.networking.k8s.io', kind: 'GatewayClass', apiVersion: 'gateway.networking.k8s.io/v1' },
  { list: 'gateways', group: 'gateway.networking.k8s.io', kind: 'Gateway', apiVersion: 'gateway.networking.k8s.io/v1' },
  { list: 'listenerSets', group: 'gateway.networking.k8s.io', kind: 'ListenerSet', apiVersion: 'gateway.networking.k8s.io/v1' },
  { list: 'tcpRoutes', group: 'gateway.networking.k8s.io', kind: 'TCPRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha2' },
  { list: 'udpRoutes', group: 'gateway.networking.k8s.io', kind: 'UDPRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha2' },
  { list: 'services', group: '', kind: 'Service', apiVersion: 'v1' },
  { list: 'endpointSlices', group: 'discovery.k8s.io', kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1' },
];

/** The objects of one kind (of API `group`) by namespace ('' for cluster-scoped) and name. */
export interface KindIndex<T> {
  readonly group: string;
  readonly byNamespace: Map<string, Map<string, T>>;
}

/** Objects by kind, namespace ('' for cluster-scoped) and name; the API group is checked on lookup. */
export class ObjectIndex<T> {
  private readonly kinds = new Map<string, KindIndex<T>>();

  /** An index of the objects of each kind in `kinds`. */
  static of<T>(kinds: ReadonlyMap<string, KindIndex<T>>): ObjectIndex<T> {
    const index = new ObjectIndex<T>();
    for (const [kind, entry] of kinds) index.kinds.set(kind, entry);
    return index;
  }

  /** Each kind's objects, in the order the kinds were first added: the same instances while unchanged. */
  kindIndexes(): KindIndex<T>[] {
    return [...this.kinds.values()];
  }

  /** The objects of one kind: the same instance while that kind's list is unchanged. */
  kindIndex(kind: string): KindIndex<T> | undefined {
    return this.kinds.get(kind);
  }

  /** The entry for an object, if any. */
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): T | undefined {
    const entry = this.kinds.get(kind);
    if (entry === undefined || !isInGroup(apiVersion, entry.group)) return undefined;
    return entry.byNamespace.get(namespace ?? '')?.get(name);
  }

  /** Adds an entry unless one exists; returns false when it already existed. */
  add(group: string, kind: string, namespace: string | undefined, name: string, value: T): boolean {
    let entry = this.kinds.get(kind);
    if (entry === undefined) {
      entry = { group, byNamespace: new Map() };
      this.kinds.set(kind, entry);
    } else if (entry.group !== group) {
      return false;
    }
    let byName = entry.byNamespace.get(namespace ?? '');
    if (byName === undefined) {
      byName = new Map();
      entry.byNamespace.set(namespace ?? '', byName);
    }
    if (byName.has(name)) return false;
    byName.set(name, value);
    return true;
  }

  /** Every entry of `kind`, in insertion order. */
  *ofKind(kind: string): IterableIterator<T> {
    const entry = this.kinds.get(kind);
    if (entry === undefined) return;
    for (const byName of entry.byNamespace.values()) yield* byName.values();
  }
}

/** True when `apiVersion` is of API `group`: groupOf(apiVersion) === group without building the substring. */
function isInGroup(apiVersion: string, group: string): boolean {
  if (group === '') return !apiVersion.includes('/');
  return apiVersion.length > group.length && apiVersion.charCodeAt(group.length) === 47 /* '/' */ && apiVersion.startsWith(group);
}

/**
 * Indexes every observed object that plan may write, each list by `indexOfList` (an engine
 * remembers each list's index, engine/plan.ts). Items without a string `metadata.name` are
 * skipped: they cannot be addressed, and reconcile already reported them. When two items share
 * an identity the first wins (the API server never returns duplicates).
 */
export function indexObserved(observed: Snapshot, indexOfList: ListIndexer): ObjectIndex<KubeObject> {
  const kinds = new Map<string, KindIndex<KubeObject>>();
  for (const spec of LISTS) {
    const items: unknown = observed[spec.list];
    if (!Array.isArray(items)) continue;
    kinds.set(spec.kind, indexOfList(items, spec));
  }
  return ObjectIndex.of(kinds);
}

/** The index of one observed list's items (indexList), as indexObserved takes it. */
export type ListIndexer = (items: readonly unknown[], spec: ListSpec) => KindIndex<KubeObject>;

/** The index of one observed list's items, the kind and apiVersion of `spec` given to items that lack theirs. */
export function indexList(items: readonly unknown[], { group, kind, apiVersion }: ListSpec): KindIndex<KubeObject> {
  const byNamespace = new Map<string, Map<string, KubeObject>>();
  // An indexed loop: iterating 150k items with for…of allocated an iterator result each.
  for (let i = 0; i < items.length; i++) {
    const raw: unknown = items[i];
    if (!isJsonObject(raw) || !isJsonObject(raw['metadata'])) continue;
    const metadata = raw['metadata'];
    const name = metadata['name'];
    if (typeof name !== 'string' || name === '') continue;
    const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : '';
    let byName = byNamespace.get(namespace);
    if (byName === undefined) byNamespace.set(namespace, (byName = new Map()));
    if (byName.has(name)) continue;
    // Copy only when the item lacks its type fields (informer lists); most items are used as is.
    const object = (
      raw['kind'] === kind && typeof raw['apiVersion'] === 'string'
        ? raw
        : { ...raw, apiVersion: typeof raw['apiVersion'] === 'string' ? raw['apiVersion'] : apiVersion, kind }
    ) as KubeObject;
    byName.set(name, object);
  }
  return { group, byNamespace };
}
